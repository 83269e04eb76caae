/**
 * `proxy.ts` beside the app directory (issue #14): it runs before route matching for the paths its
 * `config.matcher` matches (also paths no route file serves), once per request; its `next()`
 * request headers reach the route and its response headers and cookies the answer; rewrites go
 * to another route (same origin) or another server (streamed both ways); a redirect or a 401 is
 * the answer; the body reaches the route byte-exact, also after the proxy read it; a throw is
 * Next's 500, reported to `onRequestError`. No `x-middleware-*` field reaches the client.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { fixture, forEachTarget, forEachTargetStartup, type TargetContext } from './_suite.js'
import { HOST_404, HOST_ROUTE } from './_targets.js'

const dir = fixture('proxy')

interface State {
  calls: string[]
  waited: number
  errors: Array<{ message: string; path: string; routeType: string; routePath: string }>
}

/** A second server the proxy rewrites `/external/*` to: it echoes what it received, and streams its answers. */
let upstream: Server
const received: Array<{ url: string; headers: IncomingMessage['headers'] }> = []
beforeAll(async () => {
  upstream = createServer((req, res) => {
    received.push({ url: req.url!, headers: req.headers })
    if (req.url!.startsWith('/upstream/stream')) {
      // Three chunks, apart in time: the client must get all three, in order.
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': '1', 'keep-alive': 'timeout=5' })
      let i = 0
      const tick = () => {
        res.write(`chunk-${i}\n`)
        if (++i === 3) res.end()
        else setTimeout(tick, 20)
      }
      tick()
      return
    }
    const hash = createHash('sha256')
    let length = 0
    req.on('data', (chunk: Buffer) => {
      length += chunk.length
      hash.update(chunk)
    })
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': '1' })
      res.end(JSON.stringify({ method: req.method, url: req.url, length, sha256: hash.digest('hex'), chunked: req.headers['transfer-encoding'] === 'chunked', hop: req.headers['x-hop'] ?? null }))
    })
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  ;(globalThis as { __proxyUpstream?: string }).__proxyUpstream = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
})
afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

async function state(t: TargetContext): Promise<State> {
  return (await t.http().get('/state')).body as State
}
async function reset(t: TargetContext): Promise<void> {
  await t.http().delete('/state')
}
/** Calls the proxy made for `path` (the `/state` reads themselves left out). */
const callsFor = (s: State, path: string) => s.calls.filter((c) => c === path)

/** No `x-middleware-*` field in a response. */
function noInternalHeaders(headers: Record<string, unknown>): void {
  expect(Object.keys(headers).filter((name) => name.startsWith('x-middleware-'))).toEqual([])
}

forEachTarget('proxy.ts', { options: { dir, bodyLimit: 8 * 1024 * 1024 }, hostSeesHeader: 'x-proxied' }, (t) => {
  t.test('next({ request: { headers } }): the route sees the new headers (also through headers()), a removed one is gone', async () => {
    const res = await t.http().get('/echo?q=1').set('x-remove-me', 'gone?')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ pathname: '/echo', search: '?q=1', proxied: 'yes', removed: null, helperProxied: 'yes', proxyCookie: 'p1' })
    noInternalHeaders(res.headers)
  })

  t.test("the next() response's headers and cookies are added to the route's; the route's own header wins, Vary and Set-Cookie are joined", async () => {
    const res = await t.http().get('/echo')
    expect(res.headers['x-proxy-response']).toBe('1')
    expect(res.headers['x-shared']).toBe('route')
    expect(res.headers.vary).toBe('x-a, x-b')
    const cookies = res.headers['set-cookie'] as unknown as string[]
    expect(cookies.some((c) => c.startsWith('proxy-cookie=p1'))).toBe(true)
    expect(cookies.some((c) => c.startsWith('route-cookie=r1'))).toBe(true)
    noInternalHeaders(res.headers)
  })

  t.test('runs once per request, before the match', async () => {
    await reset(t)
    await t.http().get('/echo?once=1')
    expect(callsFor(await state(t), '/echo?once=1')).toEqual(['/echo?once=1'])
  })

  t.test('a negative-lookahead matcher skips /_next/static paths: the route answers without the proxy', async () => {
    await reset(t)
    const res = await t.http().get('/_next/static/chunk')
    expect(res.text).toBe('chunk')
    expect(res.headers['x-proxied-seen']).toBe('null')
    expect((await state(t)).calls.filter((c) => c.startsWith('/_next'))).toEqual([])
  })

  t.test('a `has` header condition (with a named group) and a `missing` cookie decide whether the proxy runs', async () => {
    expect((await t.http().get('/flag')).body).toEqual({ proxied: null })
    expect((await t.http().get('/flag').set('x-flag', 'off')).body).toEqual({ proxied: null })
    expect((await t.http().get('/flag').set('x-flag', 'on')).body).toEqual({ proxied: 'yes' })
    expect((await t.http().get('/flag').set('x-flag', 'yes').set('cookie', 'no-proxy=1')).body).toEqual({ proxied: null })
  })

  t.test('rewrite of a path no route file serves to a dynamic route: its params, its nextUrl, and the target is not proxied again', async () => {
    await reset(t)
    const res = await t.http().get('/old')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: '7', pathname: '/items/7', search: '?from=old' })
    expect(new URL(res.body.url as string).pathname).toBe('/items/7')
    noInternalHeaders(res.headers)
    expect((await state(t)).calls.filter((c) => c !== '/state')).toEqual(['/old'])
  })

  t.test('a path no route serves and the proxy lets through is the host\'s 404, carrying the next() headers', async () => {
    const res = await t.http().get('/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers['x-proxy-response']).toBe('1')
    noInternalHeaders(res.headers)
  })

  t.test("the host's 404 answers, seeing the request headers the proxy gave", async () => {
    const res = await t.http().get('/nothing-here')
    expect(res.text).toBe(HOST_404)
    expect(res.headers['x-host-saw']).toBe('yes')
  }, ['host-app'])

  t.test('the host\'s own routes never run the proxy', async () => {
    await reset(t)
    expect((await t.http().get(HOST_ROUTE)).text).toBe('host route')
    expect((await state(t)).calls.filter((c) => c !== '/state')).toEqual([])
  }, ['host-app'])

  t.test('redirect: sent as the answer, a same-origin Location made relative (as Next sends it)', async () => {
    const res = await t.http().get('/go-away').redirects(0)
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe('/echo?from=redirect')
    noInternalHeaders(res.headers)
  })

  t.test('a 401 JSON answer from the proxy; the route never runs; with the header, the route answers', async () => {
    const denied = await t.http().get('/secret')
    expect(denied.status).toBe(401)
    expect(denied.headers['content-type']).toMatch(/^application\/json/)
    expect(denied.headers['www-authenticate']).toBe('Bearer')
    expect(denied.body).toEqual({ error: 'unauthorized' })
    expect((await t.http().get('/secret').set('authorization', 'Bearer ok')).body).toEqual({ secret: 42 })
  })

  t.test('a 5 MiB POST reaches the route byte-exact after the proxy (HMAC), left alone or read by the proxy first', async () => {
    const body = randomBytes(5 * 1024 * 1024)
    const expected = createHmac('sha256', 'proxy-test').update(body).digest('hex')
    const plain = await t.http().post('/hmac').set('content-type', 'application/octet-stream').send(body)
    expect(plain.body).toEqual({ length: body.byteLength, hmac: expected, proxySaw: null })
    const peeked = await t.http().post('/hmac?peek=1').set('content-type', 'application/octet-stream').send(body)
    expect(peeked.body).toEqual({ length: body.byteLength, hmac: expected, proxySaw: String(body.byteLength) })
  }, [], 30_000)

  t.test('a body past bodyLimit that the proxy reads answers 413, as in a handler', async () => {
    const res = await t.http().post('/hmac?peek=1').set('content-type', 'application/octet-stream').send(randomBytes(9 * 1024 * 1024))
    expect(res.status).toBe(413)
  }, [], 30_000)

  t.test("a throwing proxy answers Next's 500 and is reported to onRequestError as routeType 'proxy'", async () => {
    await reset(t)
    const res = await t.http().get('/boom?x=1')
    expect(res.status).toBe(500)
    expect(res.text).toBe('Internal Server Error')
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.headers['cache-control']).toBe('private, no-cache, no-store, max-age=0, must-revalidate')
    const deadline = Date.now() + 3000
    let errors: State['errors'] = []
    while (errors.length === 0 && Date.now() < deadline) {
      errors = (await state(t)).errors
      if (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(errors).toEqual([{ message: 'the proxy failed', path: '/boom?x=1', routeType: 'proxy', routePath: '/proxy' }])
    expect(t.logs().join('\n')).toContain('the proxy failed')
  })

  t.test('event.waitUntil(promise) does not delay the response and is awaited', async () => {
    await reset(t)
    expect((await t.http().get('/wait')).text).toBe('route ran')
    const deadline = Date.now() + 3000
    while ((await state(t)).waited === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await state(t)).waited).toBe(1)
  })

  t.test('external rewrite: fetched from the other server, the request body streamed there, hop-by-hop fields dropped', async () => {
    const body = randomBytes(2 * 1024 * 1024)
    const res = await t.http().post('/external/echo?a=1').set('connection', 'keep-alive, x-hop').set('x-hop', 'drop me').set('content-type', 'application/octet-stream').send(body)
    expect(res.status).toBe(201)
    expect(res.headers['x-upstream']).toBe('1')
    expect(res.body).toEqual({ method: 'POST', url: '/upstream/echo?a=1', length: body.byteLength, sha256: createHash('sha256').update(body).digest('hex'), chunked: true, hop: null })
    noInternalHeaders(res.headers)
  })

  t.test("external rewrite: the other server's streamed answer arrives whole, its hop-by-hop fields dropped", async () => {
    const res = await t.http().get('/external/stream')
    expect(res.status).toBe(200)
    expect(res.text).toBe('chunk-0\nchunk-1\nchunk-2\n')
    expect(res.headers['keep-alive']).not.toBe('timeout=5')
  })
})

forEachTarget('proxy.ts under a mount prefix', { options: { dir }, prefix: '/api' }, (t) => {
  t.test('matches the path below the prefix; rewrites and redirects keep the prefix', async () => {
    const echo = await t.http().get('/api/echo')
    expect(echo.body).toMatchObject({ pathname: '/echo', proxied: 'yes' })
    const old = await t.http().get('/api/old')
    expect(old.body).toMatchObject({ id: '7', pathname: '/items/7' })
    expect(new URL(old.body.url as string).pathname).toBe('/api/items/7')
    const away = await t.http().get('/api/go-away').redirects(0)
    expect(away.headers.location).toBe('/api/echo?from=redirect')
    expect((await t.http().get('/api/_next/static/chunk')).headers['x-proxied-seen']).toBe('null')
  }, ['prefix'])

  t.test('runs for the prefix itself, which no route file serves (the host 404 carries its headers)', async () => {
    await t.http().delete('/api/state')
    const res = await t.http().get('/api')
    expect(res.status).toBe(404)
    expect(((await t.http().get('/api/state')).body as State).calls[0]).toBe('/')
  }, ['prefix'])

  t.test('never runs for paths outside the prefix', async () => {
    await t.http().delete('/api/state')
    expect((await t.http().get('/echo')).status).toBe(404)
    expect((await t.http().get('/apix/echo')).status).toBe(404)
    expect(((await t.http().get('/api/state')).body as State).calls.filter((c) => c !== '/state')).toEqual([])
  }, ['prefix'])
})

forEachTarget('proxy: false', { options: { dir, proxy: false } }, (t) => {
  t.test('the proxy never runs', async () => {
    expect((await t.http().get('/echo')).body).toMatchObject({ proxied: null })
    expect((await t.http().get('/secret')).status).toBe(200)
  })
})

forEachTarget('middleware.ts (the deprecated name)', { options: { dir: fixture('proxy-middleware') } }, (t) => {
  t.test("runs as the proxy, with Next's deprecation warning at start-up", async () => {
    expect((await t.http().get('/echo')).body).toEqual({ proxied: 'middleware' })
    expect(t.logs().join('\n')).toContain('The "middleware" file convention is deprecated. Please use "proxy" instead. Learn more: https://nextjs.org/docs/messages/middleware-to-proxy')
  }, ['host-app'])
  t.test('runs as the proxy', async () => {
    expect((await t.http().get('/echo')).body).toEqual({ proxied: 'middleware' })
  })
})

const beside = (name: string, file: string) => fileURLToPath(new URL(`./fixtures/${name}/${file}`, import.meta.url))

forEachTargetStartup('proxy.ts and middleware.ts side by side', { options: { dir: fixture('proxy-both') } }, (t) => {
  t.test("start-up fails with Next's message, naming both files", () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_PROXY_FAILED')
    expect(error.message).toContain('Both middleware file "./middleware.ts" and proxy file "./proxy.ts" are detected. Please use "./proxy.ts" only. Learn more: https://nextjs.org/docs/messages/middleware-to-proxy')
    expect(error.files).toEqual([beside('proxy-both', 'proxy.ts'), beside('proxy-both', 'middleware.ts')])
  })
})

forEachTargetStartup('a proxy.ts whose matcher Next would refuse', { options: { dir: fixture('proxy-bad-matcher') } }, (t) => {
  t.test('start-up fails naming the file and the matcher', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_PROXY_FAILED')
    expect(error.message).toContain(beside('proxy-bad-matcher', 'proxy.ts'))
    expect(error.message).toContain('config.matcher[1]: the source "no-leading-slash" must start with "/"')
  })
})

forEachTargetStartup('a proxy.js that exports no function', { options: { dir: fixture('proxy-no-function') } }, (t) => {
  t.test('start-up fails naming the file', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_PROXY_FAILED')
    expect(error.message).toContain(`${beside('proxy-no-function', 'proxy.js')} must export a function`)
  })
})

forEachTargetStartup('a proxy option naming a file that does not exist', { options: { dir, proxy: '/no/such/proxy.ts' } }, (t) => {
  t.test('start-up fails naming the option and the file', () => {
    expect(t.failure()).toMatchObject({
      code: 'ROUTEWARE_INVALID_OPTION',
      message: '`proxy` must be false or the path of your proxy file: /no/such/proxy.ts does not exist or is not a file.',
    })
  })
})

forEachTarget('the proxy option naming a file elsewhere', { options: { dir: fixture('proxy-no-function'), proxy: beside('proxy-middleware', 'middleware.ts') } }, (t) => {
  t.test('that file runs as the proxy, and the broken one beside the app directory is not looked at', async () => {
    expect((await t.http().get('/echo')).body).toEqual({ proxied: 'middleware' })
  })
})

// A proxy.ts beside a dev app directory, edited while the server runs.
// Under test/.tmp so that the proxy's `next/server` import resolves from test/node_modules.
const tmpRoot = fileURLToPath(new URL('./.tmp/', import.meta.url))
mkdirSync(tmpRoot, { recursive: true })
const devRoot = mkdtempSync(join(tmpRoot, 'proxy-dev-'))
afterAll(() => rmSync(devRoot, { recursive: true, force: true }))
mkdirSync(join(devRoot, 'app', 'echo'), { recursive: true })
writeFileSync(join(devRoot, 'app', 'echo', 'route.ts'), "export const GET = (request: Request) => Response.json({ proxied: request.headers.get('x-proxied') })\n")
const devProxy = (value: string) =>
  `import { NextResponse, type NextRequest } from 'next/server'\nexport function proxy(request: NextRequest) {\n  const headers = new Headers(request.headers)\n  headers.set('x-proxied', '${value}')\n  return NextResponse.next({ request: { headers } })\n}\n`
writeFileSync(join(devRoot, 'proxy.ts'), devProxy('first'))

forEachTarget('proxy.ts in dev', { options: { dir: join(devRoot, 'app'), dev: true } }, (t) => {
  t.test('an edit to proxy.ts takes effect without a restart', async () => {
    const value = `v${Math.random().toString(36).slice(2, 8)}`
    writeFileSync(join(devRoot, 'proxy.ts'), devProxy(value))
    const until = Date.now() + 8000
    let seen: unknown
    while (Date.now() < until) {
      seen = (await t.http().get('/echo')).body
      if ((seen as { proxied?: string }).proxied === value) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(seen).toEqual({ proxied: value })
  })
})

forEachTarget('a synchronous proxy returning a bare next() or nothing', { options: { dir: fixture('proxy-sync') } }, (t) => {
  t.test('the route runs with the untouched body, once per request through the proxy', async () => {
    const first = await t.http().post('/echo').set('content-type', 'text/plain').send('hello')
    expect(first.status).toBe(200)
    noInternalHeaders(first.headers)
    const second = await t.http().post('/echo?nothing=1').set('content-type', 'text/plain').send('again')
    expect(second.body.text).toBe('again')
    expect(second.body.calls - first.body.calls).toBe(1)
    expect(first.body.text).toBe('hello')
  })
})
