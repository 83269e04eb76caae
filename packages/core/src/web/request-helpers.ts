/**
 * `cookies()` and `headers()`: Next's request-scoped helpers, over AsyncLocalStorage. Importing
 * this module turns nothing on (the package root re-exports it): the scope is on once a route
 * module imports `@routeware/core/headers` or `/cache` (or their `next/*` aliases), a handler
 * mentions one of these helpers (lifecycle/scope-use.ts), or one is first called.
 */
import { currentRun, maybeOutsideScope } from '../lifecycle/current-run.js'
import { currentScope, type RequestScope } from '../scope/request-scope.js'
import { draftCookie, isDraftRequest, PRERENDER_BYPASS } from './draft-mode.js'
import type { RequestCookie } from './request-cookies.js'
import { trackDynamic } from './next-request.js'
import { normalizeCookie, type ResponseCookie } from './response-cookies.js'

function scopeOrThrow(name: string): RequestScope {
  // A handler that began before the scope was on joins it here (during its synchronous start).
  const scope = currentScope() ?? (currentRun() === undefined ? undefined : currentScope())
  if (!scope) {
    // Called after an `await` in a run that began without the scope: the runs to come have it.
    maybeOutsideScope()
    throw new Error(
      `\`${name}\` was called outside a request scope. Call it inside a route handler (or a function it calls). Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context`,
    )
  }
  return scope
}

/** Next refuses request data inside a cached function (packages/next/src/server/request/cookies.ts). */
function refuseInCache(scope: RequestScope, name: string): void {
  if (scope.inCache === undefined) return
  if (scope.useCache) {
    throw new Error(
      `Route ${scope.run?.route.definition.path ?? scope.request.nextUrl.pathname} used \`${name}\` inside "use cache". Accessing Dynamic data sources inside a cache scope is not supported. If you need this data inside a cached function use \`${name}\` outside of the cached function and pass the required dynamic data in as an argument. See more info here: https://nextjs.org/docs/messages/next-request-in-use-cache`,
    )
  }
  throw new Error(
    `Route ${scope.run?.route.definition.path ?? scope.request.nextUrl.pathname} used \`${name}\` inside a function cached with \`${scope.inCache}\`. Accessing Dynamic data sources inside a cache scope is not supported. If you need this data inside a cached function use \`${name}\` outside of the cached function and pass the required dynamic data in as an argument. See more info here: https://nextjs.org/docs/app/api-reference/functions/unstable_cache`,
  )
}

/** `headers()`: the request headers, read-only. Writing throws Next's message. */
export class ReadonlyHeaders extends Headers {}
for (const method of ['append', 'set', 'delete'] as const) {
  Object.defineProperty(ReadonlyHeaders.prototype, method, {
    configurable: true,
    writable: true,
    value() {
      throw readonlyError()
    },
  })
}
function readonlyError(): Error {
  return new Error('Headers cannot be modified. Read more: https://nextjs.org/docs/app/api-reference/functions/headers')
}

/** What `cookies()` resolves to: the request's cookies, with writes seen by later reads and sent with the response. */
export class RequestCookieStore {
  readonly #scope: RequestScope
  constructor(scope: RequestScope) {
    this.#scope = scope
  }
  get size(): number {
    return this.#scope.request.cookies.size
  }
  get(...args: [name: string] | [RequestCookie]): RequestCookie | undefined {
    return this.#scope.request.cookies.get(...args)
  }
  getAll(...args: [name: string] | [RequestCookie] | []): RequestCookie[] {
    return this.#scope.request.cookies.getAll(...args)
  }
  has(name: string): boolean {
    return this.#scope.request.cookies.has(name)
  }
  /** Set a cookie for the response (and for later reads in this request). */
  set(...args: [name: string, value: string, cookie?: Partial<ResponseCookie>] | [ResponseCookie]): this {
    ensureMutable(this.#scope)
    const [name, value, rest] = args.length === 1 ? [args[0].name, args[0].value, args[0]] : args
    const cookie = normalizeCookie({ ...rest, name, value })
    const mutations = (this.#scope.mutations ??= new Map())
    mutations.delete(name)
    mutations.set(name, cookie)
    this.#scope.request.cookies.set(name, value)
    return this
  }
  /** Expire a cookie on the client (and drop it from later reads in this request). */
  delete(...args: [name: string] | [Omit<ResponseCookie, 'value' | 'expires'>]): this {
    ensureMutable(this.#scope)
    const [name, options] = typeof args[0] === 'string' ? [args[0], undefined] : [args[0].name, args[0]]
    const mutations = (this.#scope.mutations ??= new Map())
    mutations.delete(name)
    mutations.set(name, normalizeCookie({ ...options, name, value: '', expires: new Date(0) }))
    this.#scope.request.cookies.delete(name)
    return this
  }
  toString(): string {
    return this.#scope.request.cookies.toString()
  }
  [Symbol.iterator](): IterableIterator<[string, RequestCookie]> {
    return this.#scope.request.cookies[Symbol.iterator]()
  }
}

/** Inside `after()` the response is gone: Next's ReadonlyRequestCookiesError (packages/next/src/server/web/spec-extension/adapters/request-cookies.ts). */
function ensureMutable(scope: RequestScope): void {
  if (scope.phase === 'after') {
    throw new Error('Cookies can only be modified in a Server Action or Route Handler. Read more: https://nextjs.org/docs/app/api-reference/functions/cookies#options')
  }
}

type Awaitable<T extends object> = Promise<T> & T

/** Make the store usable both as `await cookies()` (Next 15+) and `cookies().get()` (older code). */
function awaitable<T extends object>(value: T): Awaitable<T> {
  const promise = Promise.resolve(value) as Awaitable<T>
  let proto: object | null = Object.getPrototypeOf(value)
  const seen = new Set<string | symbol>()
  while (proto && proto !== Object.prototype && proto !== Promise.prototype) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor' || key === 'then' || key === 'catch' || key === 'finally' || seen.has(key)) continue
      seen.add(key)
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!
      if (typeof descriptor.value === 'function') {
        Object.defineProperty(promise, key, { value: (descriptor.value as (...a: unknown[]) => unknown).bind(value), configurable: true })
      } else if (descriptor.get) {
        Object.defineProperty(promise, key, { get: () => Reflect.get(value, key), configurable: true })
      }
    }
    proto = Object.getPrototypeOf(proto)
  }
  return promise
}

/** `cookies()` from `next/headers`: read the request's cookies; set and delete them on the response. */
export function cookies(): Awaitable<RequestCookieStore> {
  const scope = scopeOrThrow('cookies')
  refuseInCache(scope, 'cookies()')
  trackDynamic(scope.request, 'cookies()')
  const store = (scope.cookies ??= new RequestCookieStore(scope)) as RequestCookieStore
  return awaitable(store)
}

/** `headers()` from `next/headers`: the request headers, read-only. */
export function headers(): Awaitable<ReadonlyHeaders> {
  const scope = scopeOrThrow('headers')
  refuseInCache(scope, 'headers()')
  trackDynamic(scope.request, 'headers()')
  const view = (scope.headers ??= new ReadonlyHeaders(scope.request.headers)) as ReadonlyHeaders
  return awaitable(view)
}

/** `draftMode()` from `next/headers`: whether this request is a draft (Next's `__prerender_bypass` cookie), and the switch. */
export function draftMode(): Awaitable<DraftMode> {
  return awaitable(new DraftMode(scopeOrThrow('draftMode')))
}

/** What `draftMode()` resolves to; every call in one request shares its state. */
export class DraftMode {
  readonly #scope: RequestScope
  constructor(scope: RequestScope) {
    this.#scope = scope
  }
  /** True when the request carries this app's preview id, or after `enable()` in this request. Reading it is not dynamic. */
  get isEnabled(): boolean {
    const { draft } = this.#scope
    return (draft.enabled ??= isDraftRequest(draft.source, draft.previewModeId))
  }
  /** Set Next's `__prerender_bypass` cookie on the response: later requests are drafts. */
  enable(): void {
    this.#switch('draftMode().enable()', true)
  }
  /** Expire the cookie on the response. */
  disable(): void {
    this.#switch('draftMode().disable()', false)
  }
  #switch(expression: string, on: boolean): void {
    const scope = this.#scope
    // As Next's `trackDynamicDraftMode`: a route that switches draft mode is dynamic (`dynamic = 'error'` throws).
    trackDynamic(scope.request, expression)
    const { draft } = scope
    const mutations = (scope.mutations ??= new Map())
    mutations.delete(PRERENDER_BYPASS)
    mutations.set(PRERENDER_BYPASS, draftCookie(on ? draft.previewModeId : undefined, draft.dev))
    draft.enabled = on
  }
}
