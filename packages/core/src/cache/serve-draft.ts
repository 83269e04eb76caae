/**
 * A draft-mode request to a route the cache serves, as Next's app-route handler does in draft
 * mode (packages/next/src/build/templates/app-route.ts: no cache key, `Cache-Control: private,
 * no-cache, no-store, max-age=0, must-revalidate`): the handler runs on every request, nothing is
 * read from or written to the store, and the route stays cached for everyone else.
 */
import { runHandler } from '../pipeline/run.js'
import { HostError, type Outgoing } from '../seam.js'
import { DRAFT_CACHE_CONTROL } from '../web/draft-mode.js'
import { dynamicErrorTracker, staticSource } from './cached-request.js'
import type { CachedRunInput } from './serve-cached.js'

/**
 * Run the GET handler for a draft request. `generateStaticParams`' list does not apply (Next skips
 * its fallback check in draft mode), and nothing the handler reads turns the route dynamic. The
 * answer says `x-routeware-cache: HIT`, as Next 16.4.6 answers `x-nextjs-cache: HIT` though the
 * handler ran: its response cache is asked with no key in draft mode, so the entry it hands back
 * is marked neither MISS nor STALE (packages/next/src/server/response-cache/index.ts `get`).
 */
export async function serveDraft(input: CachedRunInput, headOnly: boolean): Promise<Outgoing | HostError> {
  const { policy } = input.route
  const source = policy.forceStatic ? staticSource(input.source) : input.source
  const out = await runHandler({ ...input, draft: true }, input.route.exports.handlers.GET!, headOnly, source, policy.dynamicError ? dynamicErrorTracker(input.route) : undefined)
  if (out instanceof HostError) return out
  // Next sets this first and never lets the handler's own Cache-Control replace it.
  return { ...out, headers: [...out.headers.filter(([name]) => name !== 'cache-control'), ['cache-control', DRAFT_CACHE_CONTROL], ['x-routeware-cache', 'HIT']] }
}
