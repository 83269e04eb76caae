/** Run one route handler and turn whatever it does (returns, throws, redirects) into one `Outgoing`. */
import { isRoutewareError } from './errors.js'
import type { LoadedRoute } from './load/load-table.js'
import { isUnlisted, servesFromCache } from './load/route-state.js'
import type { RouteHandler } from './load/route-exports.js'
import { serveCached, type RouteCache } from './cache/serve-cached.js'
import { dynamicErrorTracker, staticSource } from './cache/cached-request.js'
import { canonicalPath } from './cache/cache-key.js'
import { TimedSource, kTimedOut } from './web/timed-source.js'
import { resolveMethod } from './methods.js'
import type { Logger, ResolvedRoutesOptions } from './options.js'
import { createNextRequest, type DynamicTracker, type NextRequest, type RequestSource } from './web/next-request.js'
import { readNavigation } from './web/navigation.js'
import { emptyOutgoing, isStreamBody, type Outgoing, toOutgoing } from './web/outgoing.js'
import { createScope, runInScope, type RequestScope } from './scope/request-scope.js'
import { mergeCookieMutations, mutationLines } from './web/cookie-merge.js'

/** A route file, loaded (the type lives with the load pipeline; `./adapter` takes it from here). */
export type { LoadedRoute }

/** Everything one run needs. */
export interface RunInput {
  route: LoadedRoute
  source: RequestSource
  params: Record<string, string | string[]> | undefined
  options: ResolvedRoutesOptions
  logger: Logger
  /** The router's cache. */
  cache: RouteCache
  /** The path below the mount prefix, as received (no query). */
  path: string
}

/** Raised (rejected) when `onError: 'next'` hands a handler error back to the host. */
export class PassToHost {
  constructor(readonly error: unknown) {}
}

/** Dispatch the method, then serve from the cache or call the handler. */
export function runRoute(input: RunInput): Promise<Outgoing> | Outgoing {
  const { route } = input
  if (route.loadError) {
    const text = route.loadError.stack ?? route.loadError.message
    return { status: 500, statusText: '', headers: [['content-type', 'text/plain; charset=utf-8']], body: input.options.dev ? text : null }
  }
  const resolution = resolveMethod(route.exports, input.source.method)
  if ('answer' in resolution) return resolution.answer
  const { policy } = route
  if (servesFromCache(route) && resolution.handler === route.exports.handlers.GET) return serveCached(input, resolution.headOnly)
  if (isUnlisted(route, canonicalPath(input.path))) return emptyOutgoing(404)
  const source = policy.forceStatic ? staticSource(input.source) : input.source
  return runHandler(input, resolution.handler, resolution.headOnly, source, policy.dynamicError ? dynamicErrorTracker(route) : undefined)
}

/** Call the handler with `(request, { params })` in its request scope and convert the outcome. */
export async function runHandler(
  input: RunInput,
  handler: RouteHandler,
  headOnly: boolean,
  source: RequestSource,
  track: DynamicTracker | undefined,
): Promise<Outgoing> {
  const { route } = input
  const timeout = route.policy.maxDuration
  const timed = timeout === undefined ? undefined : new TimedSource(source, timeout)
  const request = createNextRequest(timed ?? source, track)
  const scope = createScope(request, input.cache.control)
  const context = { params: Promise.resolve(input.params) }
  let result: unknown
  try {
    const running = scope ? runInScope(scope, () => handler(request as never, context)) : handler(request as never, context)
    result = await (timed ? timed.race(running) : running)
  } catch (error) {
    if (error === kTimedOut) {
      input.logger.error(`Route ${route.definition.path} (${route.definition.file}) ran longer than its maxDuration of ${timeout} s: answered 504 and aborted request.signal.`)
      return emptyOutgoing(504)
    }
    return fromError(error, request, input, scope)
  } finally {
    timed?.clear()
  }
  if (!isResponseLike(result)) {
    const received = result === null ? 'null' : result === undefined ? 'undefined' : typeof result === 'object' ? ((result as object).constructor?.name ?? 'Object') : typeof result
    input.logger.error(
      `No response is returned from route handler '${route.definition.file}'. Expected a Response object but received '${received}' (method: ${source.method}, url: ${request.nextUrl.pathname}). Ensure you return a \`Response\` or a \`NextResponse\` in all branches of your handler.`,
    )
    return emptyOutgoing(500)
  }
  // Everything that can refuse a response (a header value Node would throw on, a cookie attribute,
  // the status text) is checked here, before any byte is written: a refusal is this request's 500.
  let out: Outgoing | undefined
  try {
    const converted = toOutgoing(result, headOnly)
    out = converted instanceof Promise ? await converted : converted
    // Checked on the entries already read, so a light response never builds a Headers for it.
    for (const [name, value] of out.headers) {
      if (name === 'x-middleware-next' && value === '1') return middlewareOnly(out, input, 'NextResponse.next() was used in a app route handler, this is not supported. See here for more info: https://nextjs.org/docs/messages/next-response-next-in-app-route-handler')
      if (name === 'x-middleware-rewrite') return middlewareOnly(out, input, 'NextResponse.rewrite() was used in a app route handler, this is not currently supported. Please remove the invocation to continue.')
    }
    if (scope?.mutations) mergeCookieMutations(out, scope.mutations)
    return out
  } catch (error) {
    if (out && isStreamBody(out.body)) out.body.cancel(error)
    return fromError(error, request, input, scope)
  }
}

/** Accept any Response-like object: NextResponse, undici Response, another realm's, a ponyfill. */
export function isResponseLike(value: unknown): value is Response {
  if (value instanceof Response) return true
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Response>
  return typeof candidate.status === 'number' && typeof candidate.headers?.get === 'function' && 'body' in candidate
}

function middlewareOnly(out: Outgoing, input: RunInput, message: string): Outgoing {
  if (isStreamBody(out.body)) out.body.cancel()
  input.logger.error(message)
  return emptyOutgoing(500)
}

/** A redirect target with control characters percent-encoded: never a header injection, never a crash. */
function safeLocation(location: string): string {
  return location.replace(/[\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c)).replace(/[^\u0020-\u007e\u0080-\u00ff]/g, (c) => encodeURIComponent(c))
}

const SERVER_ACTION_TYPES = /^(application\/x-www-form-urlencoded$|multipart\/form-data)/

async function fromError(error: unknown, request: NextRequest, input: RunInput, scope: RequestScope | undefined): Promise<Outgoing> {
  const navigation = readNavigation(error)
  if (navigation) {
    if (navigation.location === undefined) return emptyOutgoing(navigation.status)
    let status = navigation.status
    const { method } = input.source
    if (method === 'POST') {
      const headers = request.headers
      if (headers.has('next-action') || SERVER_ACTION_TYPES.test(headers.get('content-type') ?? '')) status = 303
    }
    // A redirect carries the cookies() writes; 404/401/403 do not (NEXT-BEHAVIOUR E4, E5).
    return emptyOutgoing(status, [['location', safeLocation(navigation.location)], ...mutationLines(scope?.mutations)])
  }
  if (isRoutewareError(error) && error.status < 500) {
    // Body too large (413) or a client that hung up mid-upload (400): the client's doing.
    if (error.code !== 'ROUTEWARE_BODY_ABORTED') input.logger.warn(`${error.message} (${input.source.method} ${request.nextUrl.pathname})`)
    return emptyOutgoing(error.status, error.status === 413 ? [['connection', 'close']] : [])
  }
  const { onError } = input.options
  if (onError === 'next') throw new PassToHost(error)
  if (onError) {
    try {
      const answer = await onError(error, request)
      if (isResponseLike(answer)) return await toOutgoing(answer, input.source.method === 'HEAD')
    } catch (inner) {
      input.logger.error(`onError threw while handling an error from ${input.route.definition.file}:`, inner)
    }
  }
  input.logger.error(`Error in route handler ${input.route.definition.file} (${input.source.method} ${request.nextUrl.pathname}):`, error)
  if (!input.options.dev) return emptyOutgoing(500)
  const text = error instanceof Error ? (error.stack ?? String(error)) : String(error)
  return { status: 500, statusText: '', headers: [['content-type', 'text/plain; charset=utf-8']], body: text }
}
