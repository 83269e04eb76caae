/**
 * The request scope behind `cookies()` and `headers()`. AsyncLocalStorage is created only when
 * `@routeware/core/headers` is imported: an app whose routes never use those helpers pays no
 * async-context cost per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { NextRequest } from '../web/next-request.js'
import type { ResponseCookie } from '../web/response-cookies.js'
import type { CacheControl } from '../cache/serve-cached.js'

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
}

let storage: AsyncLocalStorage<RequestScope> | undefined

/** Called when the helpers module loads. */
export function enableRequestScope(): void {
  storage ??= new AsyncLocalStorage()
}

/** The current request's scope, if a handler is running and the helpers are in use. */
export function currentScope(): RequestScope | undefined {
  return storage?.getStore()
}

/** A fresh scope for `request`, or `undefined` when no route uses the helpers. */
export function createScope(request: NextRequest, cache?: CacheControl): RequestScope | undefined {
  return storage ? { request, mutations: undefined, headers: undefined, cookies: undefined, cache } : undefined
}

/** Run `fn` inside `scope`. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage!.run(scope, fn)
}
