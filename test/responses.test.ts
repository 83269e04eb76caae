/** Every BodyInit kind, status text, Set-Cookie lines, streams, errors and navigation. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

forEachTarget('responses', { options: { dir: fixture('basic') } }, (t) => {
  t.test('every BodyInit kind arrives byte for byte with its content-type', async () => {
    const get = (kind: string) => t.http().get(`/bodies?kind=${kind}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')))
    })
    const string = await get('string')
    expect(string.body).toBe('plain string')
    expect(string.headers['content-type']).toBe('text/plain;charset=UTF-8')
    expect((await get('bytes')).body).toBe('hi')
    expect((await get('arraybuffer')).body).toBe('hi!')
    const blob = await get('blob')
    expect(blob.body).toBe('blob body')
    expect(blob.headers['content-type']).toBe('text/x-blob')
    const form = await get('formdata')
    expect(form.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(form.body).toContain('name="field"')
    expect(form.body).toContain('value')
    const usp = await get('urlsearchparams')
    expect(usp.body).toBe('a=1&b=two+words')
    expect(usp.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect((await get('stream')).body).toBe('stream')
    const empty = await get('null')
    expect(empty.status).toBe(200)
    expect(empty.body).toBe('')
    expect(empty.headers['x-null']).toBe('1')
  })

  t.test('a body known in full goes out in one write with content-length', async () => {
    const res = await t.raw('GET', '/bodies?kind=string')
    expect(res.headers['content-length']).toBe('12')
    expect(res.headers['transfer-encoding']).toBeUndefined()
    const json = await t.raw('GET', '/bodies?kind=json')
    expect(json.headers['content-length']).toBe('11')
  }, ['node-writer'])

  t.test('status and status text are kept', async () => {
    const res = await t.raw('GET', '/bodies?kind=json')
    expect(res.status).toBe(201)
    expect(JSON.parse(res.body)).toEqual({ ok: true })
    const teapot = await t.raw('GET', '/status?code=418')
    expect(teapot.status).toBe(418)
    expect(teapot.body).toBe('status 418')
  })

  t.test('204 and 304 carry no body', async () => {
    for (const code of [204, 304]) {
      const res = await t.raw('GET', `/status?code=${code}`)
      expect(res.status).toBe(code)
      expect(res.body).toBe('')
    }
  })

  t.test('every Set-Cookie is its own header line, in order', async () => {
    const res = await t.raw('GET', '/cookies')
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly', 'c=3, with comma; Path=/'])
    expect(res.body).toBe('cookies')
  })

  t.test('a stream produced without I/O leaves in large writes past the socket buffer, every byte in order', async () => {
    const res = await t.raw('GET', '/stream/bulk')
    expect(res.status).toBe(200)
    expect(res.body).toBe(Array.from({ length: 256 }, (_, i) => `${String(i % 10).repeat(1023)}\n`).join(''))
  })

  t.test('a stream sends its first chunk before its last is produced', async () => {
    const started = Date.now()
    const arrivals: number[] = []
    const res = await t.http().get('/stream/slow').buffer(true).parse((response, cb) => {
      let text = ''
      response.on('data', (chunk: Buffer) => {
        arrivals.push(Date.now() - started)
        text += chunk.toString()
      })
      response.on('end', () => cb(null, text))
    })
    expect(res.status).toBe(200)
    expect((res.body as string).split('\n').filter(Boolean)).toHaveLength(3)
    expect(arrivals.length).toBeGreaterThanOrEqual(2)
    // The first chunk arrives well before the stream ends (600 ms of production).
    expect(arrivals[0]!).toBeLessThan(arrivals.at(-1)! - 300)
  })

  t.test('a client that hangs up mid-stream cancels the stream and aborts request.signal', async () => {
    const { request } = await import('node:http')
    const id = `hangup-${Math.random()}`
    await new Promise<void>((resolve, reject) => {
      const req = request(`${t.origin()}/stream/endless?id=${id}`, (res) => {
        let seen = 0
        res.on('data', () => {
          if (++seen === 2) {
            req.destroy()
            resolve()
          }
        })
      })
      req.on('error', () => {})
      req.setTimeout(5000, () => reject(new Error('no data')))
      req.end()
    })
    let status: { cancelled: boolean; aborted: boolean; produced: number } | null = null
    for (let i = 0; i < 50; i++) {
      await wait(20)
      status = (await t.http().get(`/stream/status?id=${id}`)).body
      if (status?.cancelled && status.aborted) break
    }
    expect(status).toMatchObject({ cancelled: true, aborted: true })
    const produced = status!.produced
    await wait(150)
    const later = (await t.http().get(`/stream/status?id=${id}`)).body
    expect(later.produced).toBeLessThanOrEqual(produced + 1)
  })

  t.test('request.signal aborts when the client hangs up before the handler resolves', async () => {
    const { request } = await import('node:http')
    const id = `early-${Math.random()}`
    const req = request(`${t.origin()}/signal?id=${id}`)
    req.on('error', () => {})
    req.end()
    await wait(150)
    req.destroy()
    let status: { aborted: boolean } | null = null
    for (let i = 0; i < 50 && !status?.aborted; i++) {
      await wait(20)
      status = (await t.http().get(`/stream/status?id=${id}`)).body
    }
    expect(status?.aborted).toBe(true)
  })

  t.test('request.signal does not abort for a request that completes normally', async () => {
    const res = await t.http().get('/signal?quick=1')
    expect(res.body).toEqual({ aborted: false })
  })

  t.test('a stream that errors halfway ends the connection without a clean end', async () => {
    const res = await t.raw('GET', '/stream/fails')
    expect(res.status).toBe(200)
    expect(res.body).toBe('first')
    // The raw client saw no terminating chunk: the connection was cut.
    expect((await t.http().get('/hello')).status).toBe(200)
  })

  t.test('a thrown error answers 500 with an empty body, is logged, and the server stays up', async () => {
    const res = await t.http().get('/throws')
    expect(res.status).toBe(500)
    expect(res.text).toBe('')
    const post = await t.http().post('/throws')
    expect(post.status).toBe(500)
    expect(t.logs().join('\n')).toContain('handler exploded')
    expect((await t.http().get('/hello')).status).toBe(200)
  })

  t.test('a handler that returns no Response answers 500 and logs Next\'s message naming the file', async () => {
    const res = await t.http().post('/no-response')
    expect(res.status).toBe(500)
    expect(res.text).toBe('')
    const logs = t.logs().join('\n')
    expect(logs).toContain('No response is returned from route handler')
    expect(logs).toMatch(/no-response[\\/]route\.ts'\. Expected a Response object but received 'undefined' \(method: POST, url: \/no-response\)/)
    const get = await t.http().get('/no-response')
    expect(get.status).toBe(500)
    expect(t.logs().join('\n')).toContain("received 'Object'")
  })

  t.test('NextResponse.next() and NextResponse.rewrite() answer 500 with Next\'s messages', async () => {
    expect((await t.http().get('/next-response/next')).status).toBe(500)
    expect((await t.http().get('/next-response/rewrite')).status).toBe(500)
    const logs = t.logs().join('\n')
    expect(logs).toContain('NextResponse.next() was used in a app route handler, this is not supported.')
    expect(logs).toContain('NextResponse.rewrite() was used in a app route handler, this is not currently supported.')
  })

  t.test('redirect() from any depth answers 307, permanentRedirect() 308, Location as passed', async () => {
    const res = await t.raw('GET', '/navigation/redirect')
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe('/somewhere?x=1')
    expect(res.body).toBe('')
    const permanent = await t.raw('GET', '/navigation/redirect?permanent')
    expect(permanent.status).toBe(308)
  })

  t.test('redirect() after a form POST answers 303', async () => {
    const res = await t.raw('POST', '/navigation/redirect', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1')
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('https://example.com/after-post')
    const json = await t.raw('POST', '/navigation/redirect', { 'content-type': 'application/json' }, '{}')
    expect(json.status).toBe(307)
  })

  t.test('notFound(), forbidden(), unauthorized() answer empty 404, 403, 401', async () => {
    const nf = await t.http().get('/navigation/not-found')
    expect(nf.status).toBe(404)
    expect(nf.text).toBe('')
    expect((await t.http().get('/navigation/not-found?which=forbidden')).status).toBe(403)
    expect((await t.http().get('/navigation/not-found?which=unauthorized')).status).toBe(401)
  })
})
