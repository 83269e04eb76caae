/**
 * Issue #7, load (the short version; the long runs are bench/load/run.mjs): 2,200 requests over
 * 200 concurrent connections, a mixed set of routes, through every target. Counted, never timed:
 * every request answered, each with the status and body its request must get, no connection
 * error or timeout, the server still serving, its heap back near where it was, no socket left.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect } from 'vitest'
import autocannon from 'autocannon'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { until } from './_clock.js'

const json = (body: string) => JSON.parse(body) as Record<string, unknown>
/** The mix each connection cycles through: the one status each request must answer, and what its body must say. */
const MIX: Array<{ method: string; path: string; headers?: Record<string, string>; body?: string; expect: number; check?: (body: string) => boolean }> = [
  { method: 'GET', path: '/', expect: 200 },
  { method: 'GET', path: '/hello?x=1', expect: 200, check: (b) => (json(b).query as { x?: string }).x === '1' },
  { method: 'GET', path: '/params/42', expect: 200, check: (b) => (json(b).params as { id?: string }).id === '42' },
  { method: 'GET', path: '/catch/a/b%2Fc', expect: 200, check: (b) => JSON.stringify((json(b).params as { rest?: string[] }).rest) === '["a","b/c"]' },
  { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2,3]}', expect: 200, check: (b) => json(b).body === '{"a":[1,2,3]}' },
  { method: 'GET', path: '/bodies?kind=stream', expect: 200 },
  { method: 'GET', path: '/cookies', expect: 200 },
  { method: 'GET', path: '/hello/', expect: 308 },
  { method: 'GET', path: '/no/such/route', expect: 404 },
  { method: 'GET', path: '/params/%zz', expect: 400 },
  { method: 'POST', path: '/methods/get-only', expect: 405 },
]
const CONNECTIONS = 200
const AMOUNT = CONNECTIONS * MIX.length

/** The heap after a full collection (`--expose-gc` switched on for this one function). */
function collectedHeap(): number {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/** One run of `amount` requests; counts per `METHOD path -> status`, and the answers that broke a rule. */
async function fire(t: TargetContext, amount: number) {
  const answered: Record<string, number> = {}
  const wrong: Record<string, number> = {}
  const result = await autocannon({
    url: t.origin(),
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    requests: MIX.map(({ expect: status, check, ...request }) => ({
      ...request,
      onResponse: (got: number, body: string) => {
        const key = `${request.method} ${request.path} -> ${got}`
        answered[key] = (answered[key] ?? 0) + 1
        if (got !== status || (check && !check(body))) wrong[key] = (wrong[key] ?? 0) + 1
      },
    })),
  })
  return { result, answered, wrong }
}

forEachTarget('load (short)', { options: { dir: fixture('basic') } }, (t) => {
  t.test(`${AMOUNT} requests over ${CONNECTIONS} connections, a route mix: every one answered as it must be, the server still up, memory back`, async () => {
    await fire(t, MIX.length * 20) // warm-up: modules, JIT, pools
    const heapBefore = collectedHeap()
    const { result, answered, wrong } = await fire(t, AMOUNT)
    expect(wrong, 'answers with the wrong status or body').toEqual({})
    expect(result.errors, 'connection errors').toBe(0)
    expect(result.timeouts, 'timeouts').toBe(0)
    const total = Object.values(answered).reduce((a, b) => a + b, 0)
    expect(total, 'requests answered').toBe(AMOUNT)
    // Every kind of request of the mix was served, not just the first few.
    for (const { method, path, expect: status } of MIX) expect(answered[`${method} ${path} -> ${status}`], `${method} ${path}`).toBeGreaterThan(0)
    // Still serving, and the client's sockets all closed on the server too.
    expect((await t.http().get('/hello')).status).toBe(200)
    const server = t.server()
    await until(() => new Promise<true | undefined>((resolve) => server.getConnections((_e, n) => resolve(n === 0 ? true : undefined))), 'every connection to close')
    // Nothing per request kept: 2,200 requests may leave the heap a few MiB off, never ~10 KiB a request.
    expect(collectedHeap() - heapBefore, 'heap growth in bytes').toBeLessThan(24 * 1024 * 1024)
  }, [], 120000)
})
