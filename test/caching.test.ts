/** Segment config and caching, as Next's route segment config docs and app-route module define them: what is cached, HIT/MISS/STALE, revalidate, revalidatePath. */
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import { holdClock, until, type HeldClock } from './_clock.js'
import { count } from './fixtures/caching/app/_lib/count.js'


forEachTarget('caching', { options: { dir: fixture('caching') } }, (t) => {
  t.test("force-static: rendered at start-up, cached forever with Next's Cache-Control; the handler saw Next's stripped request (F4, F6)", async () => {
    const runs = count('static')
    const first = await t.http().get('/static?query=true').set('cookie', 'session=true').set('accept', 'text/plain')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    expect(first.body.n).toBe(runs)
    expect(count('static')).toBe(runs)
    expect(first.headers['cache-control']).toBe('s-maxage=31536000')
    expect(first.body).toMatchObject({ url: 'http://localhost:3000/static', href: 'http://localhost:3000/static', search: '', query: {}, headerCount: 0, cookies: 0 })
    const second = await t.http().get('/static?other=1').set('cookie', 'session=other')
    expect(second.headers['x-routeware-cache']).toBe('HIT')
    expect(second.body.n).toBe(first.body.n)
    expect(second.headers['cache-control']).toBe('s-maxage=31536000')
  })

  t.test('HEAD is answered from the GET entry, without a body', async () => {
    await t.http().get('/head-count')
    const head = await t.raw('HEAD', '/head-count')
    expect(head.status).toBe(200)
    expect(head.headers['x-routeware-cache']).toBe('HIT')
    expect(head.headers['x-kind']).toBe('cached')
    expect(head.body).toBe('')
  })

  t.test('the default (dynamic) GET runs every time, with no cache header (F2)', async () => {
    const a = await t.http().get('/dynamic-default')
    const b = await t.http().get('/dynamic-default')
    expect(b.body.n).toBe(a.body.n + 1)
    expect(a.headers['x-routeware-cache']).toBeUndefined()
    expect(a.headers['cache-control']).toBeUndefined()
  })

  t.test('a run that reads a dynamic input is not stored; the route turns dynamic; no user sees another\'s response (F4)', async () => {
    const alice = await t.http().get('/reads-headers').set('x-user', 'alice')
    const bob = await t.http().get('/reads-headers').set('x-user', 'bob')
    expect(alice.body).toEqual({ user: 'alice' })
    expect(bob.body).toEqual({ user: 'bob' })
    expect(bob.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test('a file that also exports POST is never cached (F5)', async () => {
    const a = await t.http().get('/with-post')
    const b = await t.http().get('/with-post')
    expect(b.body.n).toBe(a.body.n + 1)
    expect(a.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test('a [slug] route with revalidate but no generateStaticParams is not cached (Next 16.4.6)', async () => {
    const a = await t.http().get('/slug/one')
    const b = await t.http().get('/slug/one')
    expect(b.body.n).toBe(a.body.n + 1)
    expect(b.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test('generateStaticParams: listed paths are rendered at startup; unlisted are MISS then HIT (F10)', async () => {
    const first = await t.http().get('/gsp/first')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    expect(first.body.slug).toBe('first')
    const third = await t.http().get('/gsp/third')
    expect(third.headers['x-routeware-cache']).toBe('MISS')
    const thirdAgain = await t.http().get('/gsp/third')
    expect(thirdAgain.headers['x-routeware-cache']).toBe('HIT')
    expect(thirdAgain.body.n).toBe(third.body.n)
  })

  t.test('dynamicParams = false answers 404 for params generateStaticParams did not list', async () => {
    expect((await t.http().get('/gsp-strict/listed')).status).toBe(200)
    expect((await t.http().get('/gsp-strict/unlisted')).status).toBe(404)
  })

  t.test("dynamic = 'error': reading a dynamic input answers 500 with Next's error; a route that reads none is cached (F7)", async () => {
    const res = await t.http().get('/error-mode')
    expect(res.status).toBe(500)
    expect(t.logs().join('\n')).toContain('Route /error-mode with `dynamic = "error"` couldn\'t be rendered statically because it used `request.headers`.')
    const a = await t.http().get('/error-mode-ok')
    const b = await t.http().get('/error-mode-ok')
    expect(b.headers['x-routeware-cache']).toBe('HIT')
    expect(b.body.n).toBe(a.body.n)
  })

  t.test('revalidatePath() from a handler drops the entry: the next GET is a MISS with a new body', async () => {
    const a = await t.http().get('/revalidate-false')
    const b = await t.http().get('/revalidate-false')
    expect(b.headers['x-routeware-cache']).toBe('HIT')
    expect(b.headers['cache-control']).toBe('s-maxage=31536000')
    const action = await t.http().post('/revalidate-action?path=/revalidate-false')
    expect(action.body).toEqual({ revalidated: '/revalidate-false' })
    const c = await t.http().get('/revalidate-false')
    expect(c.headers['x-routeware-cache']).toBe('MISS')
    expect(c.body.n).toBeGreaterThan(a.body.n)
  })

  t.test('a Cache-Control the handler sets is kept', async () => {
    await t.http().get('/custom-cc')
    const res = await t.http().get('/custom-cc')
    expect(res.headers['cache-control']).toBe('public, max-age=5')
    expect(res.headers['x-routeware-cache']).toBe('HIT')
  })

  t.test('issue #17: a response with Set-Cookie is served with its cookies but never stored (Next stores and replays it, G3)', async () => {
    await t.http().get('/cookie-static')
    const res = await t.raw('GET', '/cookie-static')
    expect(res.headers['x-routeware-cache']).toBe('MISS')
    expect(res.headers['set-cookie']).toEqual(['theme=light; Path=/', 'my_company=ACME; Path=/'])
    expect(res.headers['cache-control']).toBeUndefined()
    expect(res.body).toBe('static cookies')
  })

  t.test('a streamed response is cached once fully read: at start-up, and on a MISS while the client reads it', async () => {
    const first = await t.http().get('/stream-cached')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    expect(first.text.split('\n').filter(Boolean)).toHaveLength(3)
    await t.http().post('/revalidate-action?path=/stream-cached')
    const miss = await t.http().get('/stream-cached')
    expect(miss.headers['x-routeware-cache']).toBe('MISS')
    expect(miss.text).not.toBe(first.text)
    const second = await t.http().get('/stream-cached')
    expect(second.headers['x-routeware-cache']).toBe('HIT')
    expect(second.text).toBe(miss.text)
    expect(second.text.split('\n').filter(Boolean)).toHaveLength(3)
  })

  t.test("a response larger than the store's entry limit is served but not cached", async () => {
    const first = await t.http().get('/big-stream').buffer(true)
    expect(first.headers['x-routeware-cache']).toBe('MISS')
    expect(Number(first.headers['content-length'] ?? first.text.length)).toBe(5 * 1024 * 1024)
    const second = await t.http().get('/big-stream')
    expect(second.headers['x-routeware-cache']).toBe('MISS')
  })

  t.test('maxDuration: a handler still running then answers 504 and its request.signal aborts', async () => {
    const started = Date.now()
    const res = await t.http().get('/max-duration')
    expect(res.status).toBe(504)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect((await t.http().get('/max-duration?status')).body).toEqual({ aborted: true })
  })

  t.test("runtime = 'edge' warns at startup naming the file, and runs on Node", async () => {
    expect((await t.http().get('/edge')).text).toBe('edge route, on node')
    expect(t.logs().join('\n')).toMatch(/Route \/edge \(.*edge[\\/]route\.ts\) exports runtime = 'edge'/)
  })
})

// `Date.now()` is held from before each server starts, so the start-up render is stored on the
// held clock too: fresh and stale are the test's to decide, whatever the machine's load.
describe('caching on a held clock', () => {
  let clock: HeldClock
  beforeAll(() => {
    clock = holdClock()
  })
  afterAll(() => clock.restore())
  forEachTarget('caching: revalidate = N', { options: { dir: fixture('caching') } }, (t) => {
    t.test('revalidate = N: HIT while fresh, then STALE at once with one background regeneration, then the new one (G4)', async () => {
      const g = globalThis as { __holdRevalidate1?: Promise<void>; __cacheCounts?: Map<string, number> }
      const runs = () => g.__cacheCounts?.get('revalidate-1') ?? 0
      let release!: () => void
      try {
        // Rendered at start-up, on the held clock: fresh.
        const first = await t.http().get('/revalidate-1')
        expect(first.headers['x-routeware-cache']).toBe('HIT')
        expect(runs()).toBe(first.body.n)
        expect(first.headers['cache-control']).toBe('s-maxage=1, stale-while-revalidate=31535999')
        const hit = await t.http().get('/revalidate-1')
        expect(hit.headers['x-routeware-cache']).toBe('HIT')
        expect(hit.body.n).toBe(first.body.n)
        const before = runs()
        // Past `revalidate`, with the regeneration held until every stale request was answered.
        clock.advance(1100)
        g.__holdRevalidate1 = new Promise<void>((resolve) => (release = resolve))
        const stale = await Promise.all([t.http().get('/revalidate-1'), t.http().get('/revalidate-1'), t.http().get('/revalidate-1')])
        for (const res of stale) {
          expect(res.headers['x-routeware-cache']).toBe('STALE')
          expect(res.body.n).toBe(first.body.n)
        }
        await until(() => (runs() > before ? true : undefined), 'the background regeneration to start')
        release()
        // Until the regeneration is stored: STALE, then HIT with the new body; never MISS, never a second run.
        const states: string[] = []
        const fresh = await until(async () => {
          const res = await t.http().get('/revalidate-1')
          states.push(String(res.headers['x-routeware-cache']))
          return res.headers['x-routeware-cache'] === 'HIT' ? res : undefined
        }, 'the regenerated entry')
        expect(states.join(' ')).toMatch(/^(STALE )*HIT$/)
        // Exactly one regeneration for the three stale requests (and the polls).
        expect(fresh.body.n).toBe(first.body.n + 1)
        expect(runs()).toBe(before + 1)
        const again = await t.http().get('/revalidate-1')
        expect(again.headers['x-routeware-cache']).toBe('HIT')
        expect(again.body.n).toBe(fresh.body.n)
      } finally {
        release?.()
        g.__holdRevalidate1 = undefined
      }
    })

    t.test('a regeneration that throws keeps the stale entry and is logged', async () => {
      const flag = globalThis as { __failRegeneration?: boolean }
      const failures = () => t.logs().filter((line) => line.includes('regeneration failed on purpose')).length
      try {
        flag.__failRegeneration = false
        // A fresh entry made now (the start-up one may be stale already after the test above): revalidatePath, then a MISS.
        await t.http().post('/revalidate-action?path=/stale-throws')
        const first = await t.http().get('/stale-throws')
        expect(first.headers['x-routeware-cache']).toBe('MISS')
        const logged = failures()
        flag.__failRegeneration = true
        clock.advance(1100)
        const stale = await t.http().get('/stale-throws')
        expect(stale.headers['x-routeware-cache']).toBe('STALE')
        expect(stale.body).toEqual(first.body)
        await until(() => (failures() > logged ? true : undefined), 'the failed regeneration to be logged')
        const after = await t.http().get('/stale-throws')
        expect(after.status).toBe(200)
        expect(after.headers['x-routeware-cache']).toBe('STALE')
        expect(after.body).toEqual(first.body)
        // Once the handler works again, a regeneration replaces the kept entry.
        flag.__failRegeneration = false
        const renewed = await until(async () => {
          const res = await t.http().get('/stale-throws')
          return res.headers['x-routeware-cache'] === 'HIT' ? res : undefined
        }, 'a successful regeneration')
        expect(renewed.body.at).toBe(first.body.at + 1100)
      } finally {
        flag.__failRegeneration = false
      }
    })
  })
})
