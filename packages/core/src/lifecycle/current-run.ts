/**
 * Which run `after()`, `waitUntil` and `connection()` are called from. Inside the request scope it
 * is the scope's. The scope (AsyncLocalStorage) costs every request something, so it is enabled
 * only once an app needs it (`next/headers` imported, a handler that mentions these helpers, or
 * the first call of one): a handler that began before then is found through the slot its
 * synchronous start fills, and joins the scope from that call on.
 */
import { createScope, currentScope, enableRequestScope, enterScope, type RunLifecycle, type RunLink } from '../scope/request-scope.js'
import type { NextRequest } from '../web/next-request.js'

/** What every installed copy of the package shares (`next/server` aliased to another copy calls `after()`). */
interface Shared {
  /** The run whose handler is being called right now, outside the scope. */
  run: RunLink | undefined
  request: NextRequest | undefined
  /** True once a call during that synchronous start entered the scope. */
  entered: boolean
  /** Runs that began outside the scope and whose handler has not returned yet. */
  outside: number
  /** The lifecycle of the last such run: where tasks that cannot tell their run are kept. */
  lifecycle: RunLifecycle | undefined
  /** Tasks from such runs that could not tell which one: they start once all of them returned. */
  orphans: Array<() => void> | undefined
}

const kShared = Symbol.for('routeware.currentRun.v1')
let shared: Shared | undefined
const sharedState = (): Shared =>
  (shared ??= (globalThis as { [kShared]?: Shared })[kShared] ??= { run: undefined, request: undefined, entered: false, outside: 0, lifecycle: undefined, orphans: undefined })

/** Call a handler outside the scope, with `run` findable while it runs synchronously. */
export function callOutsideScope<A, B, T>(run: RunLink, request: NextRequest, handler: (request: A, context: B) => T, context: B): T {
  const s = sharedState()
  const previous = s.run
  const previousRequest = s.request
  s.run = run
  s.request = request
  s.lifecycle = run.lifecycle
  s.outside++
  try {
    return handler(request as A, context)
  } finally {
    s.run = previous
    s.request = previousRequest
    if (s.entered) {
      // The handler's own continuations keep the scope they were created in; the caller's code does not.
      s.entered = false
      enterScope(undefined)
    }
  }
}

/** A handler called by `callOutsideScope` returned (or threw): tasks waiting for that start now. */
export function returnedOutsideScope(): void {
  const s = sharedState()
  if (--s.outside !== 0 || s.orphans === undefined) return
  const orphans = s.orphans
  s.orphans = undefined
  setImmediate(() => {
    for (const start of orphans) start()
  })
}

/** The run the caller is in, or `undefined` outside any. A run that began outside the scope joins it. */
export function currentRun(): RunLink | undefined {
  const run = currentScope()?.run
  if (run) return run
  const s = shared
  if (s?.run === undefined) return undefined
  if (!s.entered) {
    enableRequestScope()
    enterScope(createScope(s.request!, s.run.control, s.run.options, s.run.source, s.run.draft, s.run))
    s.entered = true
  }
  return s.run
}

/** The request the caller's run serves (for `connection()`), or `undefined` outside any. */
export function currentRequest(): NextRequest | undefined {
  return currentRun() === undefined ? undefined : currentScope()?.request
}

/**
 * True when the caller may be a run that began outside the scope and called after its first
 * `await`, so nothing tells which run it is; the scope is enabled for the runs to come. Such calls
 * are rare (the scope is enabled at start-up for handlers that mention these helpers) and are
 * kept for later rather than refused.
 */
export function maybeOutsideScope(): boolean {
  if ((shared?.outside ?? 0) === 0) return false
  // From now on every run is in the scope.
  enableRequestScope()
  return true
}

/** The lifecycle of the last run that began outside the scope. */
export function lastOutsideLifecycle(): RunLifecycle | undefined {
  return shared?.lifecycle
}

/** Keep `start` until every run that began outside the scope returned; `lifecycle` of the last such run. */
export function keepOrphan(start: (lifecycle: RunLifecycle | undefined) => void): void {
  const s = sharedState()
  const { lifecycle } = s
  ;(s.orphans ??= []).push(() => start(lifecycle))
}
