/**
 * Issue #7, load (the short version; the long runs are bench/load/run.mjs): 200 connections for
 * 3 s over a mixed set of routes, through every target: no connection error, no timeout, and
 * every answer the status its request must get.
 */
import { expect } from 'vitest'
import autocannon from 'autocannon'
import { fixture, forEachTarget } from './_suite.js'

/** The mix each connection cycles through, with the one status each request must answer. */
const MIX = [
  { method: 'GET', path: '/', expect: 200 },
  { method: 'GET', path: '/hello?x=1', expect: 200 },
  { method: 'GET', path: '/params/42', expect: 200 },
  { method: 'GET', path: '/catch/a/b%2Fc', expect: 200 },
  { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2,3]}', expect: 200 },
  { method: 'GET', path: '/bodies?kind=stream', expect: 200 },
  { method: 'GET', path: '/cookies', expect: 200 },
  { method: 'GET', path: '/hello/', expect: 308 },
  { method: 'GET', path: '/no/such/route', expect: 404 },
  { method: 'GET', path: '/params/%zz', expect: 400 },
  { method: 'POST', path: '/methods/get-only', expect: 405 },
]

forEachTarget('load (short)', { options: { dir: fixture('basic') } }, (t) => {
  t.test('200 connections for 3 s over a route mix: zero errors, zero unexpected statuses', async () => {
    const unexpected: Record<string, number> = {}
    const result = await autocannon({
      url: t.origin(),
      connections: 200,
      duration: 3,
      timeout: 10,
      requests: MIX.map(({ expect: status, ...request }) => ({
        ...request,
        onResponse: (got: number) => {
          if (got !== status) {
            const key = `${request.method} ${request.path} -> ${got}`
            unexpected[key] = (unexpected[key] ?? 0) + 1
          }
        },
      })),
    })
    expect(unexpected, 'unexpected statuses').toEqual({})
    expect(result.errors, 'connection errors').toBe(0)
    expect(result.timeouts, 'timeouts').toBe(0)
    expect(result.requests.total, 'requests completed').toBeGreaterThan(1000)
    expect((await t.http().get('/hello')).status).toBe(200)
  }, [], 30000)
})
