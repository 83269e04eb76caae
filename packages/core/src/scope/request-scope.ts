/**
 * The request scope behind `cookies()`, `headers()`, `after()` and `connection()`. AsyncLocalStorage
 * is created only when `@routeware/core/headers` is imported, a handler mentions `after()` and
 * friends, or one of them is first called (lifecycle/current-run.ts): an app whose routes never use
 * those helpers pays no async-context cost per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Logger } from '../options.js'
import type { RequestSource } from '../seam.js'
import type { DraftState } from '../web/draft-mode.js'
import type { NextRequest } from '../web/next-request.js'
import type { ResponseCookie } from '../web/response-cookies.js'

/** The part of the router's cache a handler can reach through `@routeware/core/cache` (cache/control.ts builds it). */
export interface CacheControl {
  /** `path` is below `prefix`, the concrete mount prefix of the request that calls it. */
  revalidatePath(path: string, type: 'page' | 'layout' | undefined, prefix: string): Promise<void>
  /** Revalidate `tags`: stale now, expired `expireSeconds` from now. Logs a store failure, never throws. */
  revalidateTags(tags: readonly string[], expireSeconds: number): Promise<void>
  /** One `unstable_cache()` call: the stored value, or `call.compute()`'s. */
  cachedData(call: DataCall): Promise<unknown>
  /** One call of a `'use cache'` function: the stored result, or a fresh one when it is stale or missing. */
  cachedFunction(call: FunctionCall): Promise<FunctionResult>
}

/** One call of a `'use cache'` function (cache/use-cache.ts). */
export interface FunctionCall {
  /** The function's id and its arguments, serialized; not yet hashed. */
  key: string
  softTags: readonly string[]
  /** Recompute a stale result now instead of serving it once (a background regeneration runs). */
  regenerating: boolean
  compute(): Promise<FunctionResult>
}

/** A `'use cache'` result as stored: the encoded value, its tags, its `revalidate` and `expire` in seconds. */
export interface FunctionResult {
  body: Uint8Array
  tags: readonly string[]
  revalidate: number
  expire: number
}

/** What `cacheTag()`/`cacheLife()` inside one `'use cache'` call add to its entry. */
export interface UseCacheFrame {
  tags: Set<string>
  life: { stale: number; revalidate: number; expire: number } | undefined
}

/** One call of a function wrapped in `unstable_cache()`. */
export interface DataCall {
  /** The invocation key (function source, key parts, arguments), not yet hashed. */
  key: string
  tags: readonly string[]
  revalidate: number | false | undefined
  /** The reading request's soft tags: `revalidatePath()` of its path renews the data it read. */
  softTags: readonly string[]
  /** Recompute stale data now instead of serving it once (a background regeneration runs). */
  regenerating: boolean
  compute(): Promise<unknown>
}

/** What `unstable_cache()` calls add to the cached route response being generated. */
export interface CollectedTags {
  tags: Set<string>
  /** The shortest `revalidate` of the data read. */
  revalidate: number | undefined
  /** The shortest `expire` of the `'use cache'` data read (`cacheLife()`): the route's entry lives no longer. */
  expire: number | undefined
  /** A background regeneration: stale data is recomputed, not served. */
  regenerating: boolean
}

/**
 * The run a scope belongs to, as `after()`, `waitUntil` and `connection()` reach it (the
 * pipeline's `RunInput` is one). Its `lifecycle` is the router's: another installed copy of the
 * package (`next/server` aliased to it) calls the router's own code through it.
 */
export interface RunLink {
  readonly route: { readonly definition: { readonly file: string; readonly path: string } }
  readonly source: RequestSource & { onSent?(callback: () => void): void }
  readonly logger: Logger
  readonly control: CacheControl | undefined
  /** The path below the mount prefix (soft tags of `unstable_cache` reads). */
  readonly path?: string
  /** Set while a cacheable GET generates its entry. */
  readonly collected?: CollectedTags
  readonly lifecycle?: RunLifecycle
  /** Draft mode's settings, and whether this is a draft run (see `createScope`). */
  readonly options: DraftSettings
  readonly draft?: boolean
}

/** The router's side of `after()` (lifecycle/lifecycle.ts implements it). */
export interface RunLifecycle {
  /** Queue `task` (a function, or a promise already running) for once `run`'s response was sent. */
  after(run: RunLink, task: unknown, scope: RequestScope | undefined, via: 'after' | 'waitUntil'): void
  /** Start a function now, counted until it settles. */
  start(run: RunLink | undefined, scope: RequestScope | undefined, task: () => unknown): void
  /** Count a running promise until it settles. */
  track(promise: PromiseLike<unknown>, run: RunLink | undefined, via: 'after' | 'waitUntil'): void
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
  /** The run, for `after()` and `connection()`. */
  run: RunLink | undefined
  /** `'after'` once the response was sent and `after()` tasks run: cookies can no longer be set. */
  phase: 'after' | undefined
  /** Inside a cached function (`'unstable_cache()'`, `'"use cache"'`): `cookies()` and `headers()` throw Next's error. */
  inCache?: string
  /** Inside a `'use cache'` call: what `cacheTag()`/`cacheLife()` add to. */
  useCache?: UseCacheFrame
  /** `revalidateTag()`/`revalidatePath()` writes the response waits for, as Next flushes them before it answers. */
  pending?: Array<Promise<unknown>>
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
export function createScope(request: NextRequest, cache: CacheControl | undefined, settings: DraftSettings, source: RequestSource, draft: boolean | undefined, run: RunLink | undefined): RequestScope | undefined {
  if (!shared()) return undefined
  return { request, mutations: undefined, headers: undefined, cookies: undefined, cache, draft: { previewModeId: settings.previewModeId, dev: settings.dev, enabled: draft, source }, run, phase: undefined }
}

/** Run `fn` inside `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return (storage ?? shared()!).run(scope, fn)
}

/**
 * Make `scope` (or none) the current one for the rest of this synchronous run and what it starts:
 * how a handler that began before the scope was enabled joins it (lifecycle/current-run.ts).
 */
export function enterScope(scope: RequestScope | undefined): void {
  shared()?.enterWith(scope as RequestScope)
}
