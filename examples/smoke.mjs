#!/usr/bin/env node
// Smoke test for the example servers: runs every request documented in examples/README.md.
//   node examples/smoke.mjs http://127.0.0.1:3000
// Plain Node (20.19+), no dependencies. Exits 1 if any check fails.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'

const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')
const secret = process.env.WEBHOOK_SECRET ?? 'dev-secret'
const checks = []

/** Strict equality with a message that names the field and shows both values. */
function equal(actual, expected, what = 'value') {
  if (!Object.is(actual, expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}
const check = (name, fn) => checks.push({ name, fn })

/** fetch relative to the base URL; redirects are returned, not followed. */
const request = (path, init = {}) => fetch(base + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init })

/** The media type without parameters: `application/json; charset=utf-8` -> `application/json`. */
const mediaType = (res) => (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()

async function expectJson(res, status, body) {
  equal(res.status, status, 'status')
  equal(mediaType(res), 'application/json', 'content-type')
  const json = await res.json()
  if (body !== undefined) assert.deepEqual(json, body)
  return json
}

async function expectEmpty(res, status) {
  equal(res.status, status, 'status')
  equal(await res.text(), '', 'body')
}

check('GET / (the index: an HTML page listing every route, from the live route table)', async () => {
  const res = await request('/')
  equal(res.status, 200, 'status')
  equal(mediaType(res), 'text/html', 'content-type')
  const html = await res.text()
  for (const path of ['/api/hello', '/api/blog/hello-world', '/rss.xml']) {
    if (!html.includes(`<a href="${path}">`)) throw new Error(`the index has no link to ${path}`)
  }
  if (!html.includes(`curl -i &#39;${base}/api/hello&#39;`)) throw new Error('the index has no curl line for /api/hello')
})

check('GET / with Accept: application/json (the same list as JSON)', async () => {
  const { routes } = await expectJson(await request('/', { headers: { accept: 'application/json' } }), 200)
  const hello = routes.find((route) => route.path === '/api/hello')
  assert.deepEqual(hello, { path: '/api/hello', methods: ['GET'], config: {}, file: 'api/hello/route.ts', href: '/api/hello', curl: [`curl -i '${base}/api/hello'`] })
  const blog = routes.find((route) => route.path === '/api/blog/[slug]')
  equal(blog?.href, '/api/blog/hello-world', 'sample href of /api/blog/[slug]')
})

check('GET /api/hello', async () => {
  await expectJson(await request('/api/hello'), 200, { message: 'Hello, world!' })
})

check('HEAD /api/hello (runs GET, no body)', async () => {
  const res = await request('/api/hello', { method: 'HEAD' })
  equal(mediaType(res), 'application/json', 'content-type')
  await expectEmpty(res, 200)
})

check('OPTIONS /api/hello (automatic)', async () => {
  const res = await request('/api/hello', { method: 'OPTIONS' })
  equal(res.headers.get('allow'), 'GET, HEAD, OPTIONS', 'allow')
  await expectEmpty(res, 204)
})

check('GET /api/hello/ (trailing slash -> 308)', async () => {
  const res = await request('/api/hello/?x=1')
  equal(res.status, 308, 'status')
  equal(res.headers.get('location'), '/api/hello?x=1', 'location')
})

check('GET /api/blog/hello-world', async () => {
  await expectJson(await request('/api/blog/hello-world'), 200, {
    slug: 'hello-world',
    title: 'Hello, world',
    date: '2025-01-15',
    summary: 'The first post.',
  })
})

check('GET /api/blog/first-post (redirect() -> 307)', async () => {
  const res = await request('/api/blog/first-post')
  equal(res.headers.get('location'), '/api/blog/hello-world', 'location')
  await expectEmpty(res, 307)
})

check('GET /api/blog/nope (notFound() -> 404)', async () => {
  await expectEmpty(await request('/api/blog/nope'), 404)
})

check('GET /api/docs/getting-started/install/linux (catch-all)', async () => {
  await expectJson(await request('/api/docs/getting-started/install/linux'), 200, {
    slug: ['getting-started', 'install', 'linux'],
    path: 'getting-started/install/linux',
  })
})

check('GET /api/docs/a%2Fb/c (%2F stays inside one segment)', async () => {
  await expectJson(await request('/api/docs/a%2Fb/c'), 200, { slug: ['a/b', 'c'], path: 'a/b/c' })
})

check('GET /api/docs (catch-all needs a segment: host 404)', async () => {
  equal((await request('/api/docs')).status, 404, 'status')
})

check('GET /api/search?q=route&limit=5', async () => {
  await expectJson(await request('/api/search?q=route&limit=5'), 200, { query: 'route', limit: 5, results: ['route-handlers'] })
})

check('GET /api/search (no query)', async () => {
  await expectJson(await request('/api/search'), 200, { query: '', limit: 10, results: [] })
})

check('GET /api/stream (chunks arrive over time)', async () => {
  const res = await request('/api/stream')
  equal(res.status, 200, 'status')
  equal(mediaType(res), 'text/plain', 'content-type')
  equal(res.headers.get('content-length'), null, 'a stream has no content-length')
  const decoder = new TextDecoder()
  const arrivals = []
  let text = ''
  for await (const chunk of res.body) {
    arrivals.push(performance.now())
    text += decoder.decode(chunk, { stream: true })
  }
  equal(text, 'one\ntwo\nthree\n', 'body')
  // The handler waits 200 ms between chunks: a buffered response would arrive all at once.
  assert.ok(arrivals.length >= 2 && arrivals.at(-1) - arrivals[0] >= 300, `chunks arrived together (${arrivals.length} reads)`)
})

check('GET /api/events (server-sent events arrive over time)', async () => {
  const res = await request('/api/events')
  equal(res.status, 200, 'status')
  equal(res.headers.get('content-type'), 'text/event-stream', 'content-type')
  equal(res.headers.get('cache-control'), 'no-cache, no-transform', 'cache-control')
  equal(res.headers.get('content-length'), null, 'a stream has no content-length')
  const decoder = new TextDecoder()
  const events = []
  let buffer = ''
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      events.push({ text: buffer.slice(0, end), at: performance.now() })
      buffer = buffer.slice(end + 2)
    }
  }
  equal(buffer, '', 'nothing after the last event')
  assert.deepEqual(events.map((e) => e.text), [1, 2, 3, 4, 5].map((n) => `data: {"n":${n}}`))
  // 100 ms between events: a buffered response would deliver them all at once.
  const gaps = events.slice(1).map((e, i) => e.at - events[i].at)
  assert.ok(events.at(-1).at - events[0].at >= 300, `events arrived together (gaps ${gaps.map(Math.round).join(', ')} ms)`)
  assert.ok(gaps.filter((gap) => gap >= 50).length >= 3, `events arrived in bursts (gaps ${gaps.map(Math.round).join(', ')} ms)`)
})

check('GET /api/events (client hangs up after the first event; the server keeps serving)', async () => {
  const controller = new AbortController()
  const res = await request('/api/events', { signal: controller.signal })
  const reader = res.body.getReader()
  const { value } = await reader.read()
  assert.ok(new TextDecoder().decode(value).startsWith('data: {"n":1}'), 'first event')
  controller.abort()
  await reader.closed.catch(() => {})
  await new Promise((resolve) => setTimeout(resolve, 150))
  await expectJson(await request('/api/hello'), 200, { message: 'Hello, world!' })
})

check('POST /api/items (JSON body -> 201)', async () => {
  const res = await request('/api/items', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'widget', price: 9.5 }),
  })
  const json = await expectJson(res, 201)
  assert.match(json.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.deepEqual({ ...json, id: undefined }, { id: undefined, name: 'widget', price: 9.5 })
})

check('GET /api/audit (after() wrote the entry once the 201 was sent)', async () => {
  const created = await expectJson(
    await request('/api/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'audited' }) }),
    201,
  )
  // The task runs after the response: poll until it has written.
  for (let i = 0; ; i++) {
    const { entries } = await expectJson(await request('/api/audit'), 200)
    const entry = entries.find((e) => e.id === created.id)
    if (entry) {
      equal(entry.action, 'item.created', 'action')
      return
    }
    if (i === 50) throw new Error(`no audit entry for ${created.id}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
})

check('POST /api/items (invalid JSON -> 400)', async () => {
  const res = await request('/api/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' })
  await expectJson(res, 400, { error: 'Body must be JSON' })
})

check('GET /api/items (405 + Allow)', async () => {
  const res = await request('/api/items')
  equal(res.headers.get('allow'), 'OPTIONS, POST', 'allow')
  await expectEmpty(res, 405)
})

check('POST /api/form (urlencoded)', async () => {
  const res = await request('/api/form', { method: 'POST', body: new URLSearchParams({ name: 'Ada', lang: 'en' }) })
  await expectJson(res, 200, { contentType: 'application/x-www-form-urlencoded', fields: { name: 'Ada', lang: 'en' } })
})

check('POST /api/form (multipart with a file)', async () => {
  const form = new FormData()
  form.append('name', 'Ada')
  form.append('file', new Blob(['hello file'], { type: 'text/plain' }), 'hello.txt')
  const res = await request('/api/form', { method: 'POST', body: form })
  await expectJson(res, 200, {
    contentType: 'multipart/form-data',
    fields: { name: 'Ada', file: { filename: 'hello.txt', type: 'text/plain', size: 10, text: 'hello file' } },
  })
})

check('GET /api/cookies (no cookie; two Set-Cookie lines)', async () => {
  const res = await request('/api/cookies')
  await expectJson(res, 200, { theme: null })
  assert.deepEqual(res.headers.getSetCookie(), ['theme=dark; Path=/; Max-Age=31536000; SameSite=Lax', 'visits=1; Path=/; HttpOnly'])
})

check('GET /api/cookies (with Cookie header)', async () => {
  const res = await request('/api/cookies', { headers: { cookie: 'theme=light; visits=2' } })
  await expectJson(res, 200, { theme: 'light' })
  assert.deepEqual(res.headers.getSetCookie(), ['theme=dark; Path=/; Max-Age=31536000; SameSite=Lax', 'visits=3; Path=/; HttpOnly'])
})

/** `name=value` of each Set-Cookie line, to send back as a Cookie header. */
const cookiePairs = (res) => res.headers.getSetCookie().map((line) => line.split(';')[0])

check('GET, GET, DELETE /api/session (cookies() and headers() round-trip)', async () => {
  const first = await request('/api/session', { headers: { 'user-agent': 'smoke/1.0' } })
  await expectJson(first, 200, { visits: 1, userAgent: 'smoke/1.0' })
  assert.deepEqual(first.headers.getSetCookie(), ['visits=1; Path=/; HttpOnly'])

  const second = await request('/api/session', { headers: { 'user-agent': 'smoke/1.0', cookie: cookiePairs(first).join('; ') } })
  await expectJson(second, 200, { visits: 2, userAgent: 'smoke/1.0' })
  assert.deepEqual(second.headers.getSetCookie(), ['visits=2; Path=/; HttpOnly'])

  const deleted = await request('/api/session', { method: 'DELETE', headers: { cookie: cookiePairs(second).join('; ') } })
  const lines = deleted.headers.getSetCookie()
  equal(lines.length, 1, 'one Set-Cookie line')
  assert.match(lines[0], /^visits=; /, 'the cookie is emptied')
  const expires = /;\s*Expires=([^;]+)/i.exec(lines[0])?.[1]
  assert.ok(expires && Date.parse(expires) < Date.now(), `the cookie is expired (${lines[0]})`)
  equal(lines[0], 'visits=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'set-cookie')
  await expectEmpty(deleted, 204)
})

check('GET /api/headers', async () => {
  const res = await request('/api/headers', { headers: { 'user-agent': 'my-agent/1.0' } })
  equal(res.headers.get('x-example'), 'routeware', 'x-example')
  await expectJson(res, 200, { userAgent: 'my-agent/1.0' })
})

check('GET /api/cors', async () => {
  const res = await request('/api/cors', { headers: { origin: 'https://example.com' } })
  equal(res.headers.get('access-control-allow-origin'), '*', 'access-control-allow-origin')
  await expectJson(res, 200, { message: 'Hello from a CORS-enabled route' })
})

check('OPTIONS /api/cors (preflight, exported OPTIONS)', async () => {
  const res = await request('/api/cors', {
    method: 'OPTIONS',
    headers: { origin: 'https://example.com', 'access-control-request-method': 'GET' },
  })
  equal(res.headers.get('access-control-allow-origin'), '*', 'access-control-allow-origin')
  equal(res.headers.get('access-control-allow-methods'), 'GET, OPTIONS', 'access-control-allow-methods')
  equal(res.headers.get('access-control-allow-headers'), 'Content-Type, Authorization', 'access-control-allow-headers')
  equal(res.headers.get('access-control-max-age'), '86400', 'access-control-max-age')
  equal(res.headers.get('allow'), null, 'the exported OPTIONS replaces the automatic one')
  await expectEmpty(res, 204)
})

check('GET /api/hello from an allowed origin (proxy.ts adds CORS)', async () => {
  const res = await request('/api/hello', { headers: { origin: 'https://app.example.com' } })
  equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com', 'access-control-allow-origin')
  equal(res.headers.get('vary'), 'Origin', 'vary')
  await expectJson(res, 200, { message: 'Hello, world!' })
})

check('GET /api/hello from another origin (no CORS headers)', async () => {
  const res = await request('/api/hello', { headers: { origin: 'https://evil.example' } })
  equal(res.headers.get('access-control-allow-origin'), null, 'access-control-allow-origin')
  await expectJson(res, 200, { message: 'Hello, world!' })
})

check('OPTIONS /api/items (preflight answered by proxy.ts)', async () => {
  const res = await request('/api/items', {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
  })
  equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com', 'access-control-allow-origin')
  equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PUT, PATCH, DELETE, OPTIONS', 'access-control-allow-methods')
  equal(res.headers.get('allow'), null, 'no automatic OPTIONS answer')
  await expectEmpty(res, 204)
})

check('GET /api/me without a token (proxy.ts -> 401)', async () => {
  const res = await request('/api/me')
  equal(res.headers.get('www-authenticate'), 'Bearer', 'www-authenticate')
  await expectJson(res, 401, { error: 'unauthorized' })
})

check('GET /api/me with the token (proxy.ts forwards x-user)', async () => {
  const res = await request('/api/me', { headers: { authorization: `Bearer ${process.env.API_TOKEN ?? 'demo-token'}`, 'x-user': 'forged' } })
  await expectJson(res, 200, { user: 'demo' })
})

const payload = '{"event":"ping"}'
const signature = createHmac('sha256', secret).update(payload).digest('hex')

check('POST /api/webhook (valid signature)', async () => {
  const res = await request('/api/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    body: payload,
  })
  await expectJson(res, 200, { ok: true })
})

check('POST /api/webhook (bad signature -> 401)', async () => {
  const res = await request('/api/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': '00'.repeat(32) },
    body: payload,
  })
  await expectJson(res, 401, { ok: false, error: 'invalid signature' })
})

check('POST /api/webhook (no signature -> 401)', async () => {
  const res = await request('/api/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })
  await expectJson(res, 401, { ok: false, error: 'invalid signature' })
})

check('GET /rss.xml', async () => {
  const res = await request('/rss.xml')
  equal(res.status, 200, 'status')
  equal(res.headers.get('content-type'), 'application/xml', 'content-type')
  const xml = await res.text()
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), 'XML declaration')
  assert.ok(xml.includes('<rss version="2.0">'), '<rss>')
  equal(xml.match(/<item>/g)?.length, 2, 'two <item>s')
  assert.ok(xml.includes(`<link>${new URL(base).origin}/api/blog/hello-world</link>`), 'item links use the request origin')
})

check('GET /about (route group)', async () => {
  const res = await request('/about')
  equal(res.status, 200, 'status')
  equal(mediaType(res), 'text/plain', 'content-type')
  equal(await res.text(), 'About Routeware: Next.js Route Handlers inside Express and Fastify.\n', 'body')
})

check('GET /marketing/about and /(marketing)/about are not routes', async () => {
  equal((await request('/marketing/about')).status, 404, 'status')
  equal((await request('/(marketing)/about')).status, 404, 'status')
})

check('GET /_lib/data (private folder: host 404)', async () => {
  equal((await request('/_lib/data')).status, 404, 'status')
})

check('GET /sitemap.xml (app/sitemap.ts, static: served from the cache)', async () => {
  const res = await request('/sitemap.xml')
  equal(res.status, 200, 'status')
  equal(res.headers.get('content-type'), 'application/xml', 'content-type')
  equal(res.headers.get('cache-control'), 'public, max-age=0, must-revalidate', 'cache-control')
  equal(res.headers.get('x-routeware-cache'), 'HIT', 'x-routeware-cache')
  const xml = await res.text()
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url>\n<loc>'), 'sitemap header')
  assert.ok(xml.includes('/api/blog/hello-world</loc>\n<lastmod>2025-01-15</lastmod>\n<changefreq>monthly</changefreq>\n</url>'), 'a post entry')
})

check('GET /robots.txt (app/robots.ts)', async () => {
  const res = await request('/robots.txt')
  equal(res.status, 200, 'status')
  equal(res.headers.get('content-type'), 'text/plain', 'content-type')
  const site = process.env.SITE_URL ?? 'https://routeware.example'
  equal(await res.text(), `User-Agent: *\nAllow: /\nDisallow: /api/audit\n\nSitemap: ${site}/sitemap.xml\n`, 'body')
})

check('GET /opengraph-image (app/opengraph-image.tsx: a 1200x630 PNG, rendered at start-up)', async () => {
  const res = await request('/opengraph-image')
  equal(res.status, 200, 'status')
  equal(res.headers.get('content-type'), 'image/png', 'content-type')
  equal(res.headers.get('x-routeware-cache'), 'HIT', 'x-routeware-cache (rendered at start-up)')
  const png = Buffer.from(await res.arrayBuffer())
  equal(png.subarray(1, 4).toString(), 'PNG', 'signature')
  equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, '1200x630', 'size (IHDR)')
})

check('GET /health (host route)', async () => {
  const res = await request('/health')
  equal(res.status, 200, 'status')
  equal(await res.text(), 'ok', 'body')
})

let passed = 0
let failed = 0
for (const { name, fn } of checks) {
  try {
    await fn()
    passed++
    console.log(`ok    ${name}`)
  } catch (error) {
    failed++
    const cause = error?.cause?.code ? ` (${error.cause.code})` : ''
    console.log(`FAIL  ${name}\n      ${String(error?.message ?? error).split('\n').join('\n      ')}${cause}`)
  }
}
console.log(`\n${base}\n${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
