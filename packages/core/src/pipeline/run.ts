/**
 * Stage 5, run: call the handler with `(request, { params })`, in its request scope when a module
 * asked for one, under its `maxDuration`, and turn what it did into the outcome (stage 6).
 */
import { traceHandler, tracingOn } from '../lifecycle/tracing.js'
import { callOutsideScope, returnedOutsideScope } from '../lifecycle/current-run.js'
import { standaloneLifecycle } from '../lifecycle/lifecycle.js'
import type { RouteHandler } from '../load/route-exports.js'
import { createScope, runInScope, type RequestScope } from '../scope/request-scope.js'
import { emptyOutgoing, HostError, isStreamBody, type Outgoing, type RequestSource } from '../seam.js'
import { mergeCookieMutations } from '../web/cookie-merge.js'
import { createNextRequest, type DynamicTracker, type NextRequest } from '../web/next-request.js'
import { toOutgoing } from '../web/outgoing.js'
import { TimedSource, kTimedOut } from '../web/timed-source.js'
import { fromError, isResponseLike, middlewareOnly, noResponse } from './outcome.js'
import { isImageResponse, renderImageResponse } from '../og/image-response.js'
import type { RunInput } from './run-input.js'

export type { RunInput }

/**
 * Call the handler and convert what it did. Never rejects: a throw is the outcome stage's
 * answer, and `onError: 'next'` comes back as a `HostError`.
 */
export async function runHandler(input: RunInput, handler: RouteHandler, headOnly: boolean, source: RequestSource, track: DynamicTracker | undefined): Promise<Outgoing | HostError> {
  const { route } = input
  const timeout = route.policy.maxDuration
  const timed = timeout === undefined ? undefined : new TimedSource(source, timeout)
  const request = createNextRequest(timed ?? source, input.options.bodyLimit, track)
  const scope = createScope(request, input.control, input.options, source, input.draft, input)
  // Next 16.4.6 passes `params: undefined` (the key present) when the route has no dynamic segment.
  const context = { params: input.params === undefined ? undefined : Promise.resolve(input.params) }
  const lifecycle = input.lifecycle ?? standaloneLifecycle
  lifecycle.runStarted()
  let result: unknown
  try {
    // Outside the scope, after() and connection() find this run while the handler starts.
    const running = tracingOn() ? traceHandler(route.definition.path, () => invoke(input, handler, request, context, scope)) : invoke(input, handler, request, context, scope)
    result = await (timed ? timed.race(running) : running)
    // An ImageResponse is rendered before anything is sent: a failed render is this request's 500.
    if (isImageResponse(result)) {
      const rendering = renderImageResponse(result, input.options.dir, input.options.dev)
      result = await (timed ? timed.race(rendering) : rendering)
    }
  } catch (error) {
    if (error === kTimedOut) {
      input.logger.error(`Route ${route.definition.path} (${route.definition.file}) ran longer than its maxDuration of ${timeout} s: answered 504 and aborted request.signal.`)
      return emptyOutgoing(504)
    }
    return fromErrorSafely(error, request, input, scope)
  } finally {
    timed?.clear()
    if (scope === undefined) returnedOutsideScope()
    lifecycle.runEnded(input)
  }
  // `revalidateTag()`/`revalidatePath()` writes land before the response leaves, as in Next.
  if (scope?.pending) await Promise.allSettled(scope.pending)
  if (!isResponseLike(result)) return noResponse(result, request, input)
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
    return fromErrorSafely(error, request, input, scope)
  }
}

/** The handler's own call, inside its request scope when there is one. */
function invoke(input: RunInput, handler: RouteHandler, request: NextRequest, context: Parameters<RouteHandler>[1], scope: RequestScope | undefined): unknown {
  return scope ? runInScope(scope, () => handler(request as never, context)) : callOutsideScope(input, request, handler, context)
}

/** The outcome stage, with its own failures (a logger that throws, a broken `onError`) kept from rejecting. */
async function fromErrorSafely(...args: Parameters<typeof fromError>): Promise<Outgoing | HostError> {
  try {
    return await fromError(...args)
  } catch (error) {
    return new HostError(error)
  }
}
