/**
 * The small request-time names of `next/server`, `next/cache` and `next/navigation`:
 * `connection()`, `io()` and `unstable_noStore()` make a cached route dynamic as reading headers
 * does (Next's error under `dynamic = 'error'`, nothing under `force-static`); `unstable_rethrow`
 * lets Next's own errors through a `try/catch`; `URLPattern` is the runtime's.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

/** Two reads of a route that would be cached: both run the handler, neither is a HIT. */
async function expectNeverCached(t: TargetContext, path: string) {
  const first = await t.http().get(path)
  const second = await t.http().get(path)
  expect(first.status).toBe(200)
  expect(second.status).toBe(200)
  expect(second.headers['x-routeware-cache']).not.toBe('HIT')
  expect((second.body as { random: number }).random).not.toBe((first.body as { random: number }).random)
}

forEachTarget('connection(), io(), unstable_noStore(), unstable_rethrow, URLPattern', { options: { dir: fixture('request-time') } }, (t) => {
  t.test('connection() resolves at request time and makes a cached route dynamic, as reading headers does', async () => {
    await expectNeverCached(t, '/connection/cached')
    expect(t.logs().join('\n')).toMatch(/Route \/connection\/cached \(.*\) read `connection\(\)`: it is dynamic from now on and is not cached\./)
  })

  t.test("connection() under dynamic = 'error' throws Next's error: a 500", async () => {
    expect((await t.http().get('/connection/error')).status).toBe(500)
    expect(t.logs().join('\n')).toContain("Route /connection/error with `dynamic = \"error\"` couldn't be rendered statically because it used `connection()`.")
  })

  t.test("connection() under dynamic = 'force-static' resolves without making the route dynamic", async () => {
    const first = await t.http().get('/connection/static')
    const second = await t.http().get('/connection/static')
    expect(second.headers['x-routeware-cache']).toBe('HIT')
    expect(second.body).toEqual(first.body)
  })

  t.test('io() and unstable_noStore() make a cached route dynamic too', async () => {
    await expectNeverCached(t, '/io/cached')
    await expectNeverCached(t, '/no-store/cached')
  })

  t.test("outside a request, unstable_noStore() does nothing and connection() throws Next's error", async () => {
    expect((await t.http().get('/no-store/outside')).body).toEqual({
      outside: '`connection` was called outside a request scope. Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context',
    })
  })

  t.test('unstable_rethrow lets redirect() through a try/catch, also from an error’s cause, and leaves other errors caught', async () => {
    const redirected = await t.http().get('/rethrow/redirect')
    expect(redirected.status).toBe(307)
    expect(redirected.headers.location).toBe('/signed-in')
    expect((await t.http().get('/rethrow/cause')).status).toBe(404)
    const plain = await t.http().get('/rethrow/plain')
    expect(plain.status).toBe(200)
    expect(plain.text).toBe('caught: an ordinary failure')
  })

  t.test("URLPattern from next/server is the runtime's own (undefined where Node has none, as in Next)", async () => {
    const { same, defined } = (await t.http().get('/url-pattern')).body as { same: boolean; defined: boolean }
    expect(same).toBe(true)
    expect(defined).toBe(typeof (globalThis as { URLPattern?: unknown }).URLPattern !== 'undefined')
  })
})
