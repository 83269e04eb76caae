import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../options.js'
import type { LoadedRoute } from '../load/load-table.js'
import type { CachedRunInput } from './serve-cached.js'
import { HostError, isStreamBody, type Outgoing } from '../seam.js'
import { GeneratedSource } from './cached-request.js'
import { createRouteCache, serveCached } from './serve-cached.js'
import { createMemoryStore } from './store.js'

const quiet = { error() {}, warn() {}, info() {} }

/** A cached route at `/x` whose GET is `handler`, and a request for it. */
function setup(handler: () => Response, waitMs: number) {
  const cache = createRouteCache(createMemoryStore(), quiet, { waitMs })
  const route: LoadedRoute = {
    definition: { file: '/app/x/route.ts', appPath: '/x', path: '/x', segments: [{ kind: 'static', value: 'x' }] } as unknown as LoadedRoute['definition'],
    exports: { handlers: { GET: handler }, allow: 'GET, HEAD, OPTIONS', config: {} },
    policy: { cacheable: true, revalidate: false, forceStatic: false, dynamicError: false, generateStaticParams: undefined, dynamicParams: true, maxDuration: undefined },
  }
  const input = (): CachedRunInput => ({ route, source: new GeneratedSource('/x'), params: undefined, options: resolveOptions({ dir: '/app', logger: quiet }), logger: quiet, cache, control: cache.control, path: '/x' })
  return { cache, input }
}

/** The response, or the test fails with the host error. */
function ok(out: Outgoing | HostError): Outgoing {
  if (out instanceof HostError) throw out.error
  return out
}

async function text(out: Outgoing): Promise<string> {
  if (!isStreamBody(out.body)) return Buffer.from(out.body ?? '').toString()
  const chunks: Uint8Array[] = []
  for (let chunk = await out.body.next(); chunk !== undefined; chunk = await out.body.next()) chunks.push(chunk)
  return Buffer.concat(chunks).toString()
}

describe('serveCached: requests waiting for a generation under way', () => {
  it('issue #17: wait no longer than waitMs for a generator that stalls, then answer on their own', async () => {
    let runs = 0
    const { input } = setup(() => {
      runs++
      // The first run's body sends one chunk, then never ends; later runs answer at once.
      if (runs === 1) return new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('stalled')) }))
      return new Response(`run ${runs}`)
    }, 100)
    const first = ok(await serveCached(input(), false))
    expect(isStreamBody(first.body)).toBe(true)
    const started = Date.now()
    const second = ok(await serveCached(input(), false))
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await text(second)).toBe('run 2')
    expect(second.headers).toContainEqual(['x-routeware-cache', 'MISS'])
    // The second run took the stalled one's place: its entry is what the next request gets.
    const third = ok(await serveCached(input(), false))
    expect(third.headers).toContainEqual(['x-routeware-cache', 'HIT'])
    expect(await text(third)).toBe('run 2')
    if (isStreamBody(first.body)) first.body.cancel()
  })

  it('share the generation while it is under way and within the bound', async () => {
    let runs = 0
    const { input } = setup(() => {
      runs++
      let sent = false
      return new Response(
        new ReadableStream({
          async pull(c) {
            await new Promise((r) => setTimeout(r, 30))
            if (sent) return c.close()
            sent = true
            c.enqueue(new TextEncoder().encode(`run ${runs}`))
          },
        }),
      )
    }, 5000)
    const [a, b, c] = (await Promise.all([serveCached(input(), false), serveCached(input(), false), serveCached(input(), false)])).map(ok) as [Outgoing, Outgoing, Outgoing]
    expect(runs).toBe(1)
    expect([await text(a), await text(b), await text(c)]).toEqual(['run 1', 'run 1', 'run 1'])
  })
})
