/**
 * One request through the stages, in order: path rule -> (proxy.ts will run here, before the
 * match) -> match -> dispatch (cache, run, 404, 405/OPTIONS/400) -> run -> outcome. The writer
 * for the host kind (`write/`) takes it from there.
 */
import type { CachedRunInput, RouteCache } from '../cache/serve-cached.js'
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import { traceRequest, tracingOn } from '../lifecycle/tracing.js'
import type { LoadedRoute, RouteTable } from '../load/load-table.js'
import type { ResolvedRoutesOptions } from '../options.js'
import { MISS, type HostRequest, type Outcome } from '../seam.js'
import { dispatch } from './dispatch.js'
import { matchRoute } from './match.js'
import { resolvePath } from './path.js'

/** Answer `host` from `table`: synchronous up to the handler call. `matched`: the host router's match, if any. */
export function answer(table: RouteTable, host: HostRequest, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle, matched?: LoadedRoute): Outcome | Promise<Outcome> {
  const routed = resolvePath(host.url, host.basePath, options.trailingSlash, table.matcher)
  if (routed === MISS || !('segments' in routed)) return routed
  const found = matchRoute(table, routed, matched)
  if (found === undefined) return MISS
  const input: CachedRunInput = {
    route: found.route,
    params: found.params,
    source: host,
    options,
    logger: host.logger ?? options.logger,
    cache,
    control: cache.control,
    path: routed.path,
    lifecycle,
  }
  // With `@opentelemetry/api` installed, Next's request span around everything a matched route does.
  return tracingOn() ? traceRequest(host, found.route.definition.path, () => dispatch(input)) : dispatch(input)
}
