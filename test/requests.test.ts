/** The request a handler sees: bodies read exactly, streamed, limited; URL, protocol and host. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

forEachTarget('requests', { options: { dir: fixture('requests'), bodyLimit: 64 * 1024 } }, (t) => {
  t.test('text() gives the exact bytes; a second read rejects with a TypeError', async () => {
    const body = '{ "a" : 1.50,\n  "b":[1e3] }  '
    const res = await t.http().post('/text').set('content-type', 'application/json').send(body)
    expect(res.text).toBe(body)
    expect(res.headers['x-used']).toBe('true')
    const twice = await t.http().put('/text').send('x')
    expect(twice.text).toBe('second read: TypeError')
  })

  t.test('json() parses the body', async () => {
    const res = await t.http().post('/json').send({ hello: 'world', n: [1, 2] })
    expect(res.body).toEqual({ received: { hello: 'world', n: [1, 2] }, type: 'application/json' })
  })

  t.test('formData() reads urlencoded and multipart bodies, files as File', async () => {
    const urlencoded = await t.http().post('/form').type('form').send('a=1&b=two+words')
    expect(urlencoded.body).toEqual({ a: '1', b: 'two words' })
    const multipart = await t.http().post('/form').field('name', 'value').attach('upload', Buffer.from('file content'), { filename: 'notes.txt', contentType: 'text/plain' })
    expect(multipart.body).toEqual({ name: 'value', upload: { name: 'notes.txt', type: 'text/plain', size: 12, text: 'file content', isFile: true } })
  })

  t.test('arrayBuffer() and blob() read binary bodies exactly', async () => {
    const bytes = Buffer.alloc(40000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 256
    let sum = 0
    for (const b of bytes) sum = (sum + b) % 65536
    const res = await t.http().post('/bytes').set('content-type', 'application/octet-stream').send(bytes)
    expect(res.body).toEqual({ size: 40000, sum })
    const blob = await t.http().post('/bytes?as=blob').set('content-type', 'image/png').send(Buffer.from([1, 2, 3]))
    expect(blob.body).toEqual({ size: 3, type: 'image/png' })
  })

  t.test('request.body streams in both directions (chunked upload, chunked echo)', async () => {
    const { request } = await import('node:http')
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${t.origin()}/stream-echo`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } }, (res) => {
        let out = ''
        res.on('data', (c: Buffer) => (out += c.toString()))
        res.on('end', () => resolve(out))
      })
      req.on('error', reject)
      let i = 0
      const tick = () => {
        if (i === 5) return req.end()
        req.write(`line ${i++}\n`)
        setTimeout(tick, 10)
      }
      tick()
    })
    expect(text).toBe('LINE 0\nLINE 1\nLINE 2\nLINE 3\nLINE 4\n')
  })

  t.test('clone() gives two readable copies; new Request(url, request) forwards it', async () => {
    const res = await t.http().post('/clone').send('payload')
    expect(res.body).toEqual({ a: 'payload', b: 'payload', copyIsRequest: true, forwardedMethod: 'POST', forwardedBody: 'payload' })
  })

  t.test('a body over bodyLimit answers 413 when uncaught, and is a catchable error', async () => {
    const big = 'x'.repeat(100 * 1024)
    const res = await t.http().post('/text').send(big)
    expect(res.status).toBe(413)
    const caught = await t.http().post('/limit').send(big)
    expect(caught.status).toBe(422)
    expect(caught.body).toEqual({ code: 'ROUTEWARE_BODY_TOO_LARGE', status: 413 })
    // A chunked body without content-length is cut off as it streams.
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.origin()}/text`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (r) => {
        r.resume()
        resolve(r.statusCode!)
      })
      req.on('error', reject)
      for (let i = 0; i < 20; i++) req.write('y'.repeat(8192))
      req.end()
    })
    expect(status).toBe(413)
    expect((await t.http().post('/text').send('small')).text).toBe('small')
  })

  t.test('request.url is the URL the client asked for, with the host\'s port', async () => {
    const res = await t.http().get('/url?q=1')
    const port = new URL(t.origin()).port
    expect(res.body.url).toBe(`http://127.0.0.1:${port}/url?q=1`)
    expect(res.body.host).toBe(`127.0.0.1:${port}`)
    expect(res.body.href).toBe(`http://127.0.0.1:${port}/url?q=1`)
  })
})

forEachTarget('requests behind a trusted proxy', { options: { dir: fixture('requests') }, trustProxy: true }, (t) => {
  t.test('protocol and host come from X-Forwarded-* when the host trusts the proxy', async () => {
    const res = await t.http().get('/url').set('x-forwarded-proto', 'https').set('x-forwarded-host', 'example.com:8443')
    expect(res.body.url).toBe('https://example.com:8443/url')
    expect(res.body.protocol).toBe('https:')
  }, ['host-app'])
})

forEachTarget('requests behind an untrusted proxy', { options: { dir: fixture('requests') } }, (t) => {
  t.test('X-Forwarded-* is ignored when the host does not trust the proxy', async () => {
    const res = await t.http().get('/url').set('x-forwarded-proto', 'https').set('x-forwarded-host', 'evil.example')
    expect(res.body.url).toBe(`${t.origin()}/url`)
  }, ['host-app'])
})
