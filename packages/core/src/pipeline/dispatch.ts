/**
 * Stage 4, dispatch: the plan for a matched route, decided once. A route that failed to load
 * (dev) answers 500; the method decides HEAD, OPTIONS, 405 and 400 without a handler; a GET the
 * cache may serve goes to the cache (a draft-mode request runs past it); a param
 * `generateStaticParams` did not list answers 404 under `dynamicParams = false`; everything else runs.
 */
import { dynamicErrorTracker, staticSource } from '../cache/cached-request.js'
import { serveCached, type CachedRunInput } from '../cache/serve-cached.js'
import { serveDraft } from '../cache/serve-draft.js'
import { isUnlisted, servesFromCache } from '../load/route-state.js'
import { emptyOutgoing, type HostError, type Outgoing } from '../seam.js'
import { isDraftRequest } from '../web/draft-mode.js'
import { resolveMethod } from './methods.js'
import { runHandler } from './run.js'

/** Answer a matched route: synchronous when no handler runs. */
export function dispatch(input: CachedRunInput): Promise<Outgoing | HostError> | Outgoing {
  const { route } = input
  if (route.loadError) {
    const text = route.loadError.stack ?? route.loadError.message
    return { status: 500, statusText: '', headers: [['content-type', 'text/plain; charset=utf-8']], body: input.options.dev ? text : null }
  }
  const resolution = resolveMethod(route.exports, input.source.method)
  if ('answer' in resolution) return resolution.answer
  const { policy } = route
  const cached = servesFromCache(route) && resolution.handler === route.exports.handlers.GET
  // A draft request (this app's `__prerender_bypass` cookie) runs the handler past the cache, and
  // past the listed params, as in Next.
  if (cached && isDraftRequest(input.source, input.options.previewModeId)) return serveDraft(input, resolution.headOnly)
  // Decided once here, for cached and uncached runs alike.
  if (isUnlisted(route, input.path)) return emptyOutgoing(404)
  if (cached) return serveCached(input, resolution.headOnly)
  const source = policy.forceStatic ? staticSource(input.source) : input.source
  return runHandler(input, resolution.handler, resolution.headOnly, source, policy.dynamicError ? dynamicErrorTracker(route) : undefined)
}
