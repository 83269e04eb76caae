/**
 * The request scope behind `cookies()` and `headers()`. AsyncLocalStorage is created only when
 * `@routeware/core/headers` is imported: an app whose routes never use those helpers pays no
 * async-context cost per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { RequestSource } from '../seam.js'
import type { DraftState } from '../web/draft-mode.js'
import type { NextRequest } from '../web/next-request.js'
import type { ResponseCookie } from '../web/response-cookies.js'

/** The part of the router's cache a handler can reach through `@routeware/core/cache`. */
export interface CacheControl {
  /** `path` is below `prefix`, the concrete mount prefix of the request that calls it. */
  revalidatePath(path: string, type: 'page' | 'layout' | undefined, prefix: string): Promise<void>
}

/** What one request's helpers share. */
export interface RequestScope {
  request: NextRequest
  /** Cookies written through `cookies().set()/delete()`, by name, in order. */
  mutations: Map<string, ResponseCookie> | undefined
  /** Read-only view built on the first `headers()` call. */
  headers: Headers | undefined
  /** The mutable view built on the first `cookies()` call. */
  cookies: unknown
  /** The router's cache, for `revalidatePath()`. */
  cache: CacheControl | undefined
  /** What `draftMode()` reads and changes. */
  draft: DraftState
}

/** The router's settings draft mode needs (`ResolvedRoutesOptions` has them). */
export interface DraftSettings {
  readonly previewModeId: string
  readonly dev: boolean
}

/**
 * The storage lives on `globalThis` under a registered symbol, not in this module: an app that
 * aliases `next` to `@routeware/core` has two installed copies (`next/headers` in one, the
 * adapter's router in the other), and `cookies()` must see the scope the router opened.
 */
const kStorage = Symbol.for('routeware.requestScope.v1')
const holder = globalThis as { [kStorage]?: AsyncLocalStorage<RequestScope> }
let storage: AsyncLocalStorage<RequestScope> | undefined

/** Called when the helpers module loads (in any installed copy of the package). */
export function enableRequestScope(): void {
  storage = holder[kStorage] ??= new AsyncLocalStorage()
}

/** The shared storage, once some copy of the helpers enabled it. */
const shared = (): AsyncLocalStorage<RequestScope> | undefined => (storage ??= holder[kStorage])

/** The current request's scope, if a handler is running and the helpers are in use. */
export function currentScope(): RequestScope | undefined {
  return shared()?.getStore()
}

/**
 * A fresh scope for `request`, or `undefined` when no route uses the helpers. `source` is the
 * request as the run received it; `draft` is `true` for a draft run, `undefined` to read the cookie.
 */
export function createScope(request: NextRequest, cache: CacheControl | undefined, settings: DraftSettings, source: RequestSource, draft?: boolean): RequestScope | undefined {
  if (!shared()) return undefined
  return { request, mutations: undefined, headers: undefined, cookies: undefined, cache, draft: { previewModeId: settings.previewModeId, dev: settings.dev, enabled: draft, source } }
}

/** Run `fn` inside `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage!.run(scope, fn)
}
