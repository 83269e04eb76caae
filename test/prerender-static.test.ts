/**
 * Start-up rendering of static opt-in GET routes, as `next build` prerenders them
 * (packages/next/src/export/routes/app-route.ts): a route without a dynamic segment that opts in
 * (`dynamic = 'force-static'` / `'error'`, `revalidate = false` / `> 0`) and exports no
 * POST/PUT/DELETE/PATCH/OPTIONS is rendered once before the server answers, on
 * `http://localhost:3000<path>`, so its very first request is a HIT.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import { holdClock, until } from './_clock.js'
import { count } from './fixtures/prerender-static/app/_lib/count.js'

const dir = fixture('prerender-static')

/**
 * Each target starts its own server (and so renders once more) after the previous target's tests:
 * the runs a target's start-up made are the count now less the count the previous target left.
 */
const left = new Map<string, number>()
const startupRuns = (name: string) => count(name) - (left.get(name) ?? 0)
const settle = (name: string) => left.set(name, count(name))

forEachTarget('prerendering at start-up', { options: { dir } }, (t) => {
  for (const [name, kind] of [
    ['force-static', "dynamic = 'force-static'"],
    ['revalidate-n', 'revalidate = 60'],
    ['revalidate-false', 'revalidate = false'],
    ['error-ok', "dynamic = 'error'"],
  ] as const) {
    t.test(`${kind}: the handler ran once at start-up; the first GET is a HIT it did not run for`, async () => {
      try {
        expect(startupRuns(name)).toBe(1)
        const first = await t.http().get(`/${name}?q=1`).set('cookie', 'user=alice')
        expect(first.status).toBe(200)
        expect(first.headers['x-routeware-cache']).toBe('HIT')
        expect(first.body.n).toBe(count(name))
        expect(startupRuns(name)).toBe(1)
        const head = await t.raw('HEAD', `/${name}`)
        expect(head.status).toBe(200)
        expect(head.headers['x-routeware-cache']).toBe('HIT')
        expect(head.body).toBe('')
        expect(startupRuns(name)).toBe(1)
      } finally {
        settle(name)
      }
    })
  }

  t.test("the start-up request is Next's build request: http://localhost:3000<path>, GET", async () => {
    try {
      const res = await t.http().get('/force-static')
      expect(res.body).toMatchObject({ url: 'http://localhost:3000/force-static', method: 'GET' })
      expect((await t.http().get('/revalidate-n')).body.pathname).toBe('/revalidate-n')
      expect((await t.http().get('/error-ok')).body.pathname).toBe('/error-ok')
    } finally {
      settle('force-static')
    }
  })

  t.test('revalidate = N: HIT from the start-up render, STALE past N with one regeneration, then HIT with the new body', async () => {
    const clock = holdClock()
    try {
      const first = await t.http().get('/revalidate-n')
      expect(first.headers['x-routeware-cache']).toBe('HIT')
      const before = count('revalidate-n')
      clock.advance(61_000)
      const stale = await t.http().get('/revalidate-n')
      expect(stale.headers['x-routeware-cache']).toBe('STALE')
      expect(stale.body.n).toBe(first.body.n)
      const fresh = await until(async () => {
        const res = await t.http().get('/revalidate-n')
        return res.headers['x-routeware-cache'] === 'HIT' ? res : undefined
      }, 'the regenerated entry')
      expect(fresh.body.n).toBe(before + 1)
      expect(count('revalidate-n')).toBe(before + 1)
    } finally {
      clock.restore()
      settle('revalidate-n')
    }
  })

  t.test('revalidatePath after the start-up render: the next GET is a MISS with a new body, then HIT', async () => {
    try {
      const first = await t.http().get('/revalidate-false')
      expect(first.headers['x-routeware-cache']).toBe('HIT')
      expect((await t.http().post('/revalidate-action?path=/revalidate-false')).body).toEqual({ revalidated: '/revalidate-false' })
      const miss = await t.http().get('/revalidate-false')
      expect(miss.headers['x-routeware-cache']).toBe('MISS')
      expect(miss.body.n).toBe(first.body.n + 1)
      const hit = await t.http().get('/revalidate-false')
      expect(hit.headers['x-routeware-cache']).toBe('HIT')
      expect(hit.body.n).toBe(miss.body.n)
    } finally {
      settle('revalidate-false')
    }
  })

  for (const name of ['reads-headers', 'reads-cookies'] as const) {
    t.test(`revalidate = N reading ${name === 'reads-headers' ? 'request.headers' : 'cookies()'} at start-up: dynamic, runs on every request, no cache header, nothing logged as an error`, async () => {
      try {
        expect(startupRuns(name)).toBe(1)
        const alice = await t.http().get(`/${name}`).set('x-user', 'alice').set('cookie', 'user=alice')
        const bob = await t.http().get(`/${name}`).set('x-user', 'bob').set('cookie', 'user=bob')
        expect(alice.body.user).toBe('alice')
        expect(bob.body.user).toBe('bob')
        expect(bob.body.n).toBe(alice.body.n + 1)
        expect(alice.headers['x-routeware-cache']).toBeUndefined()
        expect(bob.headers['x-routeware-cache']).toBeUndefined()
        expect(alice.headers['cache-control']).toBeUndefined()
        expect(t.logs().filter((line) => line.startsWith('error:') && line.includes(name))).toEqual([])
      } finally {
        settle(name)
      }
    })
  }

  t.test("force-static reading request.headers: it saw the stripped request (F6), so it is cached", async () => {
    try {
      expect(startupRuns('static-reads-headers')).toBe(1)
      const res = await t.http().get('/static-reads-headers').set('x-user', 'alice')
      expect(res.headers['x-routeware-cache']).toBe('HIT')
      expect(res.body).toEqual({ n: count('static-reads-headers'), user: null, headerCount: 0 })
    } finally {
      settle('static-reads-headers')
    }
  })

  t.test("dynamic = 'error' reading request.headers: Next's error logged at start-up, naming the route; the request answers 500 as at request time (F7)", async () => {
    try {
      expect(startupRuns('error-reads')).toBe(1)
      expect(t.logs().join('\n')).toContain('Route /error-reads with `dynamic = "error"` couldn\'t be rendered statically because it used `request.headers`.')
      const res = await t.http().get('/error-reads')
      expect(res.status).toBe(500)
      expect(res.headers['x-routeware-cache']).toBeUndefined()
      expect(startupRuns('error-reads')).toBe(2)
    } finally {
      settle('error-reads')
    }
  })

  t.test('a handler that throws at start-up: logged naming the file, the server started; the first request runs it (MISS), then HIT', async () => {
    const flag = globalThis as { __prerenderHealthy?: boolean }
    try {
      expect(startupRuns('throws')).toBe(1)
      const logs = t.logs().join('\n')
      expect(logs).toContain('start-up render failed on purpose')
      expect(logs).toMatch(/Prerendering \/throws \(.*throws[\\/]route\.ts\) answered 500/)
      flag.__prerenderHealthy = true
      const first = await t.http().get('/throws')
      expect(first.status).toBe(200)
      expect(first.headers['x-routeware-cache']).toBe('MISS')
      expect(first.body.n).toBe(count('throws'))
      const second = await t.http().get('/throws')
      expect(second.headers['x-routeware-cache']).toBe('HIT')
      expect(second.body.n).toBe(first.body.n)
    } finally {
      flag.__prerenderHealthy = false
      settle('throws')
    }
  })

  t.test('a handler that returns 500 at start-up: logged naming the file, never cached; each request runs it (F4)', async () => {
    try {
      expect(startupRuns('status-500')).toBe(1)
      expect(t.logs().join('\n')).toMatch(/Prerendering \/status-500 \(.*status-500[\\/]route\.ts\) answered 500/)
      const a = await t.http().get('/status-500')
      const b = await t.http().get('/status-500')
      expect(a.status).toBe(500)
      expect(b.body.n).toBe(a.body.n + 1)
      expect(startupRuns('status-500')).toBe(3)
    } finally {
      settle('status-500')
    }
  })

  t.test('a start-up render that never answers is bounded by maxDuration as a request is: logged, and start-up went on', async () => {
    try {
      expect(startupRuns('hangs')).toBe(1)
      const logs = t.logs().join('\n')
      expect(logs).toMatch(/Route \/hangs \(.*hangs[\\/]route\.ts\) ran longer than its maxDuration of 1 s/)
      expect(logs).toMatch(/Prerendering \/hangs \(.*hangs[\\/]route\.ts\) answered 504/)
    } finally {
      settle('hangs')
    }
  })

  t.test('a 404 at start-up is cached, as Next caches it at build (F4)', async () => {
    try {
      expect(startupRuns('not-found')).toBe(1)
      const res = await t.http().get('/not-found')
      expect(res.status).toBe(404)
      expect(res.headers['x-routeware-cache']).toBe('HIT')
      expect(res.body.n).toBe(count('not-found'))
    } finally {
      settle('not-found')
    }
  })

  for (const [name, why] of [
    ['with-post', 'a file that also exports POST (F5)'],
    ['revalidate-0', 'revalidate = 0'],
    ['force-dynamic', "dynamic = 'force-dynamic' (F8)"],
  ] as const) {
    t.test(`not rendered at start-up: ${why}; every request runs it, uncached`, async () => {
      try {
        expect(startupRuns(name)).toBe(0)
        const a = await t.http().get(`/${name}`)
        const b = await t.http().get(`/${name}`)
        expect(b.body.n).toBe(a.body.n + 1)
        expect(a.headers['x-routeware-cache']).toBeUndefined()
        expect(startupRuns(name)).toBe(2)
      } finally {
        settle(name)
      }
    })
  }
})

// The mount prefix is known per request (an Express mount path; `/t/:tenant` holds one entry per
// value), so the start-up render is stored at the root: below a prefix the first GET renders it.
forEachTarget('prerendering at start-up, mounted under a prefix', { options: { dir }, prefix: '/api' }, (t) => {
  t.test('below the prefix: MISS, then HIT; revalidatePath drops it: MISS with a new body, then HIT', async () => {
    try {
      const first = await t.http().get('/api/revalidate-false')
      expect(first.status).toBe(200)
      expect(first.headers['x-routeware-cache']).toBe('MISS')
      const hit = await t.http().get('/api/revalidate-false')
      expect(hit.headers['x-routeware-cache']).toBe('HIT')
      expect(hit.body.n).toBe(first.body.n)
      expect((await t.http().post('/api/revalidate-action?path=/revalidate-false')).body).toEqual({ revalidated: '/revalidate-false' })
      const miss = await t.http().get('/api/revalidate-false')
      expect(miss.headers['x-routeware-cache']).toBe('MISS')
      expect(miss.body.n).toBeGreaterThan(hit.body.n)
      expect((await t.http().get('/api/revalidate-false')).headers['x-routeware-cache']).toBe('HIT')
    } finally {
      settle('revalidate-false')
    }
  }, ['prefix'])
})

forEachTarget('no start-up rendering in dev', { options: { dir, dev: true } }, (t) => {
  t.test('dev caches nothing, so nothing is rendered at start-up: the handlers run on request', async () => {
    const flag = globalThis as { __prerenderHealthy?: boolean }
    // `/throws` throws unless healthy: rendered at start-up, it would have logged its error.
    expect(t.logs().join('\n')).not.toContain('start-up render failed on purpose')
    try {
      flag.__prerenderHealthy = true
      const a = await t.http().get('/force-static')
      const b = await t.http().get('/force-static')
      expect(a.headers['x-routeware-cache']).toBeUndefined()
      expect(b.body.n).toBe(a.body.n + 1)
      expect((await t.http().get('/throws')).status).toBe(200)
    } finally {
      flag.__prerenderHealthy = false
    }
  })
})
