/**
 * `after(task)` from `next/server`, and `waitUntil(promise)` the same way: for `@vercel/functions`
 * (through the request context it reads) and for the proxy's `event.waitUntil`. Functions run
 * once the response has been sent, inside the request scope; promises are already running and are
 * only awaited by `close()`. Errors are logged naming the route file, never sent.
 */
import { currentScope, type RunLifecycle, type RunLink } from '../scope/request-scope.js'
import { currentRun, keepOrphan, lastOutsideLifecycle, maybeOutsideScope } from './current-run.js'
import { standaloneLifecycle as standalone } from './lifecycle.js'

/** What `after()` takes: a promise, or a function run once the response was sent. */
export type AfterTask<T = unknown> = Promise<T> | (() => T | Promise<T>)

/** The lifecycle a run reports to. */
const lifecycleOf = (run: RunLink): RunLifecycle => run.lifecycle ?? standalone

/**
 * Schedule `task` for once the response has been sent (Next's `after` from `next/server`): a
 * function runs then, inside the request scope (`cookies()`/`headers()` still read the request);
 * a promise is awaited. Also after a thrown error, `redirect()` or `notFound()`.
 */
export function after<T>(task: AfterTask<T>): void {
  schedule(task, 'after')
}

/**
 * `waitUntil(promise)` for `run`: `@vercel/functions`' `waitUntil` (through the request context
 * below) and the proxy stage's `event.waitUntil` (`new NextFetchEvent({ request, page, context:
 * { waitUntil: (p) => waitUntilFor(run, p) } })`). The promise is counted until it settles, its
 * rejection logged.
 */
export function waitUntilFor(run: RunLink, promise: Promise<unknown>): void {
  lifecycleOf(run).after(run, promise, undefined, 'waitUntil')
}

function schedule(task: unknown, via: 'after'): void {
  const run = currentRun()
  if (run) {
    lifecycleOf(run).after(run, task, currentScope(), via)
    return
  }
  if (!maybeOutsideScope()) throw new Error('`after` was called outside a request scope. Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context')
  // Called after an `await` in a handler that began before the scope was enabled: which request
  // is unknown, so the task waits until every such handler returned.
  if (typeof task === 'function') keepOrphan((lifecycle) => (lifecycle ?? standalone).start(undefined, undefined, task as () => unknown))
  else if (task !== null && typeof (task as { then?: unknown }).then === 'function') (lastOutsideLifecycle() ?? standalone).track(task as PromiseLike<unknown>, undefined, via)
  else throw new Error('`after()`: Argument must be a promise or a function')
}

/**
 * Provide the request context `@vercel/functions` reads (`globalThis[Symbol.for('@vercel/request-context')].get().waitUntil`,
 * vercel/vercel packages/functions/src/get-context.ts), so its `waitUntil(promise)` works as
 * `after(promise)` in a Routeware request. Outside one, a context that was already there (on
 * Vercel) still answers. Installed once per process, when a router is created.
 */
export function provideVercelRequestContext(): void {
  const holder = globalThis as { [kVercelContext]?: VercelContextHolder }
  const previous = holder[kVercelContext]
  if (previous?.[kOurs]) return
  holder[kVercelContext] = {
    [kOurs]: true,
    get() {
      const run = currentRun()
      if (run) return { waitUntil: (promise: Promise<unknown>) => waitUntilFor(run, promise) }
      return previous?.get?.()
    },
  }
}

const kVercelContext = Symbol.for('@vercel/request-context')
const kOurs = Symbol.for('routeware.vercelRequestContext.v1')
interface VercelContextHolder {
  [kOurs]?: boolean
  get?(): { waitUntil?: (promise: Promise<unknown>) => void } | undefined
}
