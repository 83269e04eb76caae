/**
 * Route files copied from a Next.js app, unchanged: they import `next/server`, `next/headers`,
 * `next/navigation` and `next/cache`, and this workspace aliases the package name `next` to
 * `@routeware/core` (`"next": "file:../packages/core"` in test/package.json, the local form of
 * the README's `"next": "npm:@routeware/core@…"`). Run through every adapter, twice: once with the
 * alias linked (one copy of the package), once with `next` installed as a separate copy, as
 * npm installs an alias from the registry, so `next/headers` and the adapter's router live in two
 * module instances that must still share the request scope.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, expect } from 'vitest'
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

function scenarios(t: TargetContext) {
  t.test('next/server: NextResponse.json and nextUrl.searchParams', async () => {
    const res = await t.http().get('/api/items?q=shoes')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.body).toEqual({ items: ['a', 'b'], query: 'shoes' })
    const created = await t.http().post('/api/items').send({ name: 'hat' })
    expect(created.status).toBe(201)
    expect(created.headers['x-created-by']).toBe('route')
    expect(created.body).toEqual({ created: { name: 'hat' } })
  })

  t.test('next/headers: cookies() and headers() read the request; cookies().set() reaches Set-Cookie', async () => {
    const res = await t.http().get('/session').set('cookie', 'token=t-1').set('user-agent', 'compat-test')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ token: 't-1', agent: 'compat-test' })
    expect(res.headers['set-cookie']).toEqual(['visited=yes; Path=/; HttpOnly'])
  })

  t.test('next/navigation: redirect() answers 307, permanentRedirect() 308', async () => {
    const temporary = await t.raw('GET', '/old-path')
    expect(temporary.status).toBe(307)
    expect(temporary.headers.location).toBe('/api/items?from=old')
    const permanent = await t.raw('GET', '/old-path?forever')
    expect(permanent.status).toBe(308)
    expect(permanent.headers.location).toBe('/api/items')
  })

  t.test('next/navigation: notFound() answers 404; unauthorized() 401; forbidden() 403', async () => {
    expect((await t.raw('GET', '/posts/404')).status).toBe(404)
    expect((await t.http().get('/account')).status).toBe(401)
    expect((await t.http().get('/account').set('cookie', 'role=user')).status).toBe(403)
    const admin = await t.http().get('/account').set('cookie', 'role=admin')
    expect(admin.status).toBe(200)
    expect(admin.body).toEqual({ role: 'admin' })
  })

  t.test('next/server: after() runs once the response was sent, and cookies() inside it still reads the request', async () => {
    const id = randomUUID()
    expect((await t.http().get(`/after-log?id=${id}`).set('cookie', 'token=t-9')).text).toBe('ok')
    const log = ((globalThis as { __compatAfter?: string[] }).__compatAfter ??= [])
    for (let i = 0; i < 100 && !log.includes(`${id} token=t-9`); i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(log).toContain(`${id} token=t-9`)
  })

  t.test('next/server: userAgent() parses the request', async () => {
    expect((await t.http().get('/ua').set('user-agent', CHROME)).body).toEqual({ browser: 'Chrome', isBot: false })
    expect((await t.http().get('/ua').set('user-agent', GOOGLEBOT)).body).toMatchObject({ isBot: true })
  })

  t.test('next/cache: revalidatePath() from a POST drops the cached GET, which renders again', async () => {
    const first = await t.http().get('/posts/1')
    expect(first.status).toBe(200)
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    expect(first.headers['cache-control']).toBe('s-maxage=60, stale-while-revalidate=31535940')
    const before = (first.body as { version: number }).version
    expect((await t.http().post('/posts/1/revalidate')).body).toEqual({ revalidated: true, now: true })
    const after = await t.http().get('/posts/1')
    expect(after.headers['x-routeware-cache']).toBe('MISS')
    expect((after.body as { version: number }).version).toBeGreaterThan(before)
    expect((await t.http().get('/posts/1')).headers['x-routeware-cache']).toBe('HIT')
  })

  t.test("segment config: dynamic = 'force-static' hides the request's query and cookies", async () => {
    const res = await t.http().get('/search?q=secret').set('cookie', 'token=private')
    expect(res.body).toEqual({ q: null, cookie: null })
    expect(res.headers['set-cookie']).toEqual(['built=static; Path=/'])
    expect(['HIT', 'MISS']).toContain(res.headers['x-routeware-cache'])
  })
}

forEachTarget('unchanged Next.js route files, next aliased to @routeware/core', { options: { dir: fixture('next-compat') } }, scenarios)

// The same files beside their own installed copy of the package under the name `next`.
const require = createRequire(import.meta.url)
const core = dirname(require.resolve('@routeware/core/package.json'))
const project = fileURLToPath(new URL(`./.tmp/next-copy-${process.pid}/`, import.meta.url))
rmSync(project, { recursive: true, force: true })
mkdirSync(join(project, 'node_modules/next'), { recursive: true })
for (const part of ['package.json', 'dist', 'probe']) cpSync(join(core, part), join(project, 'node_modules/next', part), { recursive: true })
cpSync(fixture('next-compat'), join(project, 'app'), { recursive: true })
writeFileSync(join(project, 'package.json'), '{ "private": true, "type": "module" }\n')
afterAll(() => rmSync(project, { recursive: true, force: true }))

forEachTarget('unchanged Next.js route files, next installed as a second copy', { options: { dir: join(project, 'app') } }, scenarios)
