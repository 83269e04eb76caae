/**
 * Stage 6, the outcome: what a handler did (returned, threw, redirected) as one `Outgoing`, or a
 * `HostError` for the host (`onError: 'next'`). Next's own rules: navigation errors
 * (packages/next/src/client/components/redirect.ts, http-access-fallback), the message for a
 * handler that returns no `Response` (packages/next/src/server/route-modules/app-route/module.ts).
 */
import { isRoutewareError } from '../errors.js'
import { emptyOutgoing, HostError, isStreamBody, type Outgoing } from '../seam.js'
import type { RequestScope } from '../scope/request-scope.js'
import { mutationLines } from '../web/cookie-merge.js'
import { readNavigation } from '../web/navigation.js'
import type { NextRequest } from '../web/next-request.js'
import { toOutgoing } from '../web/outgoing.js'
import type { RunInput } from './run-input.js'

/** Accept any Response-like object: NextResponse, undici Response, another realm's, a ponyfill. */
export function isResponseLike(value: unknown): value is Response {
  if (value instanceof Response) return true
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Response>
  return typeof candidate.status === 'number' && typeof candidate.headers?.get === 'function' && 'body' in candidate
}

/** `NextResponse.next()` / `rewrite()` returned from a route handler: Next's error, a 500. */
export function middlewareOnly(out: Outgoing, input: RunInput, message: string): Outgoing {
  if (isStreamBody(out.body)) out.body.cancel()
  input.logger.error(message)
  return emptyOutgoing(500)
}

/** A redirect target with control characters percent-encoded: never a header injection, never a crash. */
function safeLocation(location: string): string {
  return location.replace(/[\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c)).replace(/[^\u0020-\u007e\u0080-\u00ff]/g, (c) => encodeURIComponent(c))
}

const SERVER_ACTION_TYPES = /^(application\/x-www-form-urlencoded$|multipart\/form-data)/

/** A handler's throw as the answer: navigation (redirect, 404, 401, 403), a client error (413, 400), `onError`, then 500. */
export async function fromError(error: unknown, request: NextRequest, input: RunInput, scope: RequestScope | undefined): Promise<Outgoing | HostError> {
  const navigation = readNavigation(error)
  if (navigation) {
    if (navigation.location === undefined) return emptyOutgoing(navigation.status)
    let status = navigation.status
    const { method } = input.source
    if (method === 'POST') {
      const headers = request.headers
      if (headers.has('next-action') || SERVER_ACTION_TYPES.test(headers.get('content-type') ?? '')) status = 303
    }
    // A redirect carries the cookies() writes; 404/401/403 do not (Next's app-route module
    // appends the mutable cookies only to redirects: packages/next/src/server/route-modules/app-route/module.ts).
    return emptyOutgoing(status, [['location', safeLocation(navigation.location)], ...mutationLines(scope?.mutations)])
  }
  if (isRoutewareError(error) && error.status < 500) {
    // Body too large (413) or a client that hung up mid-upload (400): the client's doing.
    if (error.code !== 'ROUTEWARE_BODY_ABORTED') input.logger.warn(`${error.message} (${input.source.method} ${request.nextUrl.pathname})`)
    return emptyOutgoing(error.status, error.status === 413 ? [['connection', 'close']] : [])
  }
  reportError(error, request, input)
  const { onError } = input.options
  if (onError === 'next') return new HostError(error)
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

/** A handler that returned something other than a `Response`: Next's message, a 500. */
export function noResponse(result: unknown, request: NextRequest, input: RunInput): Outgoing {
  const received = result === null ? 'null' : result === undefined ? 'undefined' : typeof result === 'object' ? ((result as object).constructor?.name ?? 'Object') : typeof result
  const message = `No response is returned from route handler '${input.route.definition.file}'. Expected a Response object but received '${received}' (method: ${input.source.method}, url: ${request.nextUrl.pathname}). Ensure you return a \`Response\` or a \`NextResponse\` in all branches of your handler.`
  input.logger.error(message)
  // Next throws this as an Error inside the route module, so its onRequestError sees it too.
  reportError(new Error(message), request, input)
  return emptyOutgoing(500)
}

/**
 * Hand a handler's error to `instrumentation.ts`'s `onRequestError` (not navigation, not a client's
 * 4xx, not an `after()` task's), with the path and query as received, mount prefix included.
 */
function reportError(error: unknown, request: NextRequest, input: RunInput): void {
  const { lifecycle } = input
  if (lifecycle?.onRequestError === undefined) return
  const received = (input.source as { url?: unknown }).url
  let path: string
  if (typeof received === 'string') path = received
  else {
    const url = new URL(request.url)
    path = url.pathname + url.search
  }
  lifecycle.reportError(input, error, path)
}
