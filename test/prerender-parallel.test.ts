/**
 * Start-up renders run side by side, a bounded number at a time, as `next build` prerenders in
 * parallel: twelve static routes that each take a while must not add up past Fastify's
 * `pluginTimeout`. Counted, not timed: how many handlers were in flight at once.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import { inFlight } from './fixtures/prerender-parallel/app/_lib/in-flight.js'

forEachTarget('start-up renders in parallel', { options: { dir: fixture('prerender-parallel') } }, (t) => {
  t.test('twelve slow static routes render at start-up several at a time (at most 8), each once, each a HIT', async () => {
    // This target's start-up only: the previous target's counts were reset by its own test.
    expect(inFlight.runs).toBe(12)
    expect(inFlight.max).toBeGreaterThan(1)
    expect(inFlight.max).toBeLessThanOrEqual(8)
    for (let i = 1; i <= 12; i++) {
      const res = await t.http().get(`/slow-${i}`)
      expect([res.status, res.headers['x-routeware-cache'], res.body.name]).toEqual([200, 'HIT', `slow-${i}`])
    }
    expect(inFlight.runs).toBe(12)
    inFlight.runs = 0
    inFlight.max = 0
  })
})
