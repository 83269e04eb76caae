import { describe, expect, it } from 'vitest'
import type { LoadedRoute } from '../load/load-table.js'
import { resolveOptions } from '../options.js'
import { runHandler, type RunInput } from '../pipeline/run.js'
import { createScope, currentScope } from '../scope/request-scope.js'
import type { HostRequest } from '../seam.js'
import { createNextRequest } from '../web/next-request.js'
import { after, provideVercelRequestContext } from './after.js'
import { connection, unstable_noStore } from './connection.js'
import { Lifecycle } from './lifecycle.js'
import { HELPER_CALL } from './scope-use.js'

const quiet = { error() {}, warn() {}, info() {} }
const tick = () => new Promise((resolve) => setImmediate(resolve))

/** A host request whose send the test reports itself. */
class FakeHost implements HostRequest {
  readonly method = 'GET'
  readonly url = '/x'
  readonly basePath = ''
  #sent = false
  #callbacks: Array<() => void> = []
  fullUrl = () => 'http://localhost/x'
  headers = () => new Headers()
  body = () => null
  signal = () => new AbortController().signal
  onSent(callback: () => void): void {
    if (this.#sent) setImmediate(callback)
    else this.#callbacks.push(callback)
  }
  send(): void {
    this.#sent = true
    for (const callback of this.#callbacks.splice(0)) callback()
  }
}

function run(handler: () => unknown, lifecycle = new Lifecycle(quiet, 1000)) {
  const route = {
    definition: { file: '/app/x/route.ts', path: '/x' },
    exports: { handlers: { GET: handler }, allow: 'GET, HEAD, OPTIONS', config: {} },
    policy: { cacheable: false, revalidate: false, forceStatic: false, dynamicError: false, generateStaticParams: undefined, dynamicParams: true, maxDuration: undefined },
  } as unknown as LoadedRoute
  const host = new FakeHost()
  const input: RunInput = { route, source: host, params: undefined, options: resolveOptions({ dir: '/app', logger: quiet }), logger: quiet, control: undefined, path: '/x', lifecycle }
  return { host, lifecycle, done: runHandler(input, handler as never, false, host, undefined) }
}

// In order: the request scope (AsyncLocalStorage) is off in this process until a test turns it on.
describe('after() before the request scope is on', () => {
  it('no scope costs a run that uses none of the helpers', async () => {
    await run(() => new Response('x')).done
    expect(createScope(createNextRequest(new FakeHost(), 0), undefined, { previewModeId: 'x'.repeat(32), dev: false }, new FakeHost(), undefined, undefined)).toBeUndefined()
  })

  it('a call after the first await of a run that began outside the scope runs once that handler returned, and turns the scope on', async () => {
    const events: string[] = []
    const { done } = run(async () => {
      await null
      after(() => events.push('task'))
      events.push('handler returned')
      return new Response('x')
    })
    await done
    await tick()
    await tick()
    expect(events).toEqual(['handler returned', 'task'])
    expect(createScope(createNextRequest(new FakeHost(), 0), undefined, { previewModeId: 'x'.repeat(32), dev: false }, new FakeHost(), undefined, undefined)).toBeDefined()
  })

  it('in the scope, a task waits for the send and runs inside the request scope', async () => {
    const events: string[] = []
    const { host, done, lifecycle } = run(async () => {
      await null
      after(() => events.push(`task in scope: ${currentScope()?.request !== undefined}`))
      return new Response('x')
    })
    await done
    await tick()
    expect(events).toEqual([])
    expect(lifecycle.queued).toBe(1)
    host.send()
    await tick()
    expect(events).toEqual(['task in scope: true'])
    expect(lifecycle.queued + lifecycle.pending).toBe(0)
  })
})

describe('outside any request', () => {
  it("after() and connection() throw Next's errors; unstable_noStore() does nothing; @vercel/functions finds no context", () => {
    expect(() => after(() => {})).toThrow('`after` was called outside a request scope. Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context')
    expect(() => connection()).toThrow('`connection` was called outside a request scope. Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context')
    expect(() => unstable_noStore()).not.toThrow()
    provideVercelRequestContext()
    const context = (globalThis as Record<symbol, { get(): unknown } | undefined>)[Symbol.for('@vercel/request-context')]
    expect(context?.get()).toBeUndefined()
  })

  it("after() with neither a function nor a promise throws Next's error", async () => {
    let thrown: unknown
    await run(() => {
      try {
        after(42 as never)
      } catch (error) {
        thrown = error
      }
      return new Response('x')
    }).done
    expect((thrown as Error).message).toBe('`after()`: Argument must be a promise or a function')
  })
})

describe('HELPER_CALL: handlers that turn the scope on at start-up', () => {
  it('finds the helpers as written and as jiti or a bundler writes them, not other names', () => {
    expect(HELPER_CALL.test('async function GET() { after(() => log()) }')).toBe(true)
    expect(HELPER_CALL.test('async function GET() { (0, _server.after)(() => log()) }')).toBe(true)
    expect(HELPER_CALL.test('function GET() { (0, _functions.waitUntil)(p); await connection() }')).toBe(true)
    expect(HELPER_CALL.test('function GET() { return afterwards(x) + io2() + radio() }')).toBe(false)
    // The request helpers too: importing the package root (which re-exports them) turns nothing on.
    expect(HELPER_CALL.test('async function GET() { const c = await cookies() }')).toBe(true)
    expect(HELPER_CALL.test('async function GET() { (0, _core.headers)().get("x"); (await draftMode()).enable() }')).toBe(true)
    expect(HELPER_CALL.test('async function POST() { await revalidatePath("/x") }')).toBe(true)
    expect(HELPER_CALL.test('function GET() { return new Headers(request.headers) }')).toBe(false)
  })
})
