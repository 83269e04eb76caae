/** Next.js API parity: NextRequest, NextResponse, cookies(), headers(), navigation, userAgent (next/server, next/headers, next/navigation). */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

forEachTarget('Next API', { options: { dir: fixture('next-api') } }, (t) => {
  t.test('cookies() writes merge with the response\'s own Set-Cookie, the response winning (E3)', async () => {
    const res = await t.raw('GET', '/cookies-merge')
    expect(res.status).toBe(200)
    expect(res.body).toBe('hello world')
    expect(res.headers['content-type']).toBe('text/custom')
    expect(res.headers['set-cookie']).toEqual(['bar=bar2; Path=/', 'baz=baz2; Path=/', 'foo=foo1; Path=/', 'test1=value1; Path=/; Secure', 'test2=value2; Path=/handler; HttpOnly'])
  })

  t.test('cookies() reads see earlier writes in the same request (E2)', async () => {
    const res = await t.http().get('/cookies-has').set('cookie', 'gone=1')
    expect(res.body).toEqual({ before: false, hasCookie: true, value: 'a', goneAfterDelete: false })
    expect(res.headers['set-cookie']).toEqual(['a=a; Path=/', 'gone=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'])
  })

  t.test('cookies() reads the request cookies, awaited or not', async () => {
    const res = await t.http().get('/cookies-read').set('cookie', 'session=abc%20def; other=1')
    expect(res.body).toEqual({ session: 'abc def', sync: 'abc def', names: ['session', 'other'], fromRequest: 'abc def' })
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  t.test('headers() is a read-only view of the request headers (E1)', async () => {
    const res = await t.http().get('/headers-read').set('x-custom', 'hello')
    expect(res.body).toEqual({
      custom: 'hello',
      sync: 'hello',
      writeError: 'Headers cannot be modified. Read more: https://nextjs.org/docs/app/api-reference/functions/headers',
      isHeaders: true,
    })
  })

  t.test('cookies() and headers() work anywhere in the handler\'s async call tree', async () => {
    const res = await t.http().get('/headers-deep').set('x-custom', 'deep').set('cookie', 'session=s1')
    expect(res.body).toEqual({ custom: 'deep', session: 's1' })
    expect(res.headers['set-cookie']?.[0]).toMatch(/^deep=yes; Path=\/; Expires=.+; Max-Age=60$/)
  })

  t.test('concurrent requests never see each other\'s scope', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.http().get('/headers-deep').set('x-custom', `n${i}`).set('cookie', `session=s${i}`)))
    results.forEach((res, i) => expect(res.body).toEqual({ custom: `n${i}`, session: `s${i}` }))
  })

  t.test('redirect() carries cookies() writes; notFound() does not (E4, E5)', async () => {
    const res = await t.raw('GET', '/redirect-cookies')
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe('/after')
    expect(res.headers['set-cookie']).toBe('flash=saved; Path=/')
    const nf = await t.raw('GET', '/not-found-cookies')
    expect(nf.status).toBe(404)
    expect(nf.headers['set-cookie']).toBeUndefined()
  })

  t.test('NextResponse.json() sets the body, status, headers and application/json (D5)', async () => {
    const res = await t.http().get('/next-response/json')
    expect(res.status).toBe(202)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-extra']).toBe('1')
    expect(res.body).toEqual({ ping: 'pong' })
  })

  t.test('NextResponse.redirect(): 307 by default, absolute Location, allowed statuses only (D6)', async () => {
    const res = await t.raw('GET', '/next-response/redirect')
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe(`${t.origin()}/login`)
    expect(res.body).toBe('')
    for (const status of [301, 302, 303, 308]) {
      const r = await t.raw('GET', `/next-response/redirect?status=${status}`)
      expect(r.status).toBe(status)
      expect(r.headers.location).toBe('https://nextjs.org/')
    }
    expect((await t.http().get('/next-response/bad-status')).status).toBe(500)
    expect(t.logs().join('\n')).toContain('Failed to execute "redirect" on "response": Invalid status code')
    expect((await t.http().get('/next-response/relative')).status).toBe(500)
    expect(t.logs().join('\n')).toContain('URL is malformed "/x". Please use only absolute URLs - https://nextjs.org/docs/messages/middleware-relative-urls')
  })

  t.test('NextResponse#cookies: every option, one Set-Cookie line per name, delete (D9)', async () => {
    const res = await t.raw('GET', '/next-response/cookies')
    const body = JSON.parse(res.body)
    expect(body).toEqual({ get: 'dark', all: ['theme', 'full', 'obj', 'old'], has: true })
    const lines = res.headers['set-cookie'] as string[]
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe('theme=dark; Path=/')
    expect(lines[1]).toMatch(/^full=a%20b%3Bc; Path=\/app; Expires=[^;]+ GMT; Max-Age=3600; Domain=example.com; Secure; HttpOnly; SameSite=strict; Partitioned; Priority=high$/)
    expect(lines[2]).toBe('obj=v; Path=/; SameSite=lax')
    expect(lines[3]).toBe('old=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT')
  })

  t.test('userAgent() parses the User-Agent and spots bots', async () => {
    const chrome = await t.http().get('/user-agent').set('user-agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36')
    expect(chrome.body).toEqual({ browser: 'Chrome', os: 'Windows', isBot: false, deviceType: null })
    const bot = await t.http().get('/user-agent').set('user-agent', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')
    expect(bot.body.isBot).toBe(true)
  })

  t.test('request.cookies: get, getAll, has, size, iteration, set, delete, clear (C1)', async () => {
    const res = await t.http().get('/request-cookies').set('cookie', 'a=1; b=two%20words')
    expect(res.body).toEqual({
      before: { size: 2, a: '1', all: ['a=1', 'b=two words'], has: true, iter: ['a', 'b'] },
      afterSet: 'a=1; b=two%20words; z=new%20value',
      afterDelete: { has: false, size: 2 },
      afterClear: 0,
      header: null,
    })
  })

  t.test('nextUrl: pathname, search, searchParams, host, origin, href, clone()', async () => {
    const res = await t.http().get('/next-url?q=search%20term')
    const origin = t.origin()
    const { host, hostname } = new URL(origin)
    expect(res.body).toEqual({
      pathname: '/next-url',
      search: '?q=search%20term',
      q: 'search term',
      basePath: '',
      host,
      hostname,
      origin,
      href: `${origin}/next-url?q=search%20term`,
      protocol: 'http:',
      cloneHref: `${origin}/changed?q=search%20term`,
      stillPathname: '/next-url',
      json: `${origin}/next-url?q=search%20term`,
    })
  })

  t.test('bytes(), body as a stream, bodyUsed; GET has no body', async () => {
    expect((await t.http().post('/body-kinds?as=bytes').send('12345')).body).toEqual({ isUint8Array: true, length: 5 })
    expect((await t.http().post('/body-kinds?as=stream').send('x'.repeat(50000))).body).toEqual({ total: 50000, bodyUsed: true })
    expect((await t.http().post('/body-kinds').send('abc')).body).toEqual({ before: false, after: true })
    expect((await t.http().get('/body-kinds')).body).toEqual({ body: null, bodyUsed: false })
  })

  t.test('a client that aborts mid-upload makes the body read reject; nothing hangs', async () => {
    const { request } = await import('node:http')
    const id = `up-${Math.random()}`
    const req = request(`${t.origin()}/abort-upload?id=${id}`, { method: 'POST', headers: { 'content-length': '100000' } })
    req.on('error', () => {})
    req.write('x'.repeat(1000))
    await wait(100)
    req.destroy()
    let state: string | null = null
    for (let i = 0; i < 50 && !String(state).startsWith('rejected'); i++) {
      await wait(20)
      state = (await t.http().get(`/abort-upload?id=${id}`)).body
    }
    expect(state).toBe('rejected: ROUTEWARE_BODY_ABORTED')
  }, ['node-writer'])
})

forEachTarget('dev mode', { options: { dir: fixture('next-api'), dev: true } }, (t) => {
  t.test('a thrown error answers 500 with the message and stack in dev', async () => {
    const res = await t.http().get('/dev-error')
    expect(res.status).toBe(500)
    expect(res.text).toContain('Error: visible in dev')
    expect(res.text).toMatch(/dev-error[\\/]route\.ts/)
  })
})

forEachTarget('host cookies', { options: { dir: fixture('next-api') }, hostCookie: ['hostsession', 'h1'] }, (t) => {
  t.test('cookies the host sets and cookies the handler sets all reach the client', async () => {
    const res = await t.raw('GET', '/cookies-merge')
    const lines = res.headers['set-cookie'] as string[]
    expect(lines.some((l) => l.startsWith('hostsession=h1'))).toBe(true)
    for (const name of ['bar=bar2', 'baz=baz2', 'foo=foo1', 'test1=value1', 'test2=value2']) expect(lines.some((l) => l.startsWith(name))).toBe(true)
  }, ['host-headers'])
})
