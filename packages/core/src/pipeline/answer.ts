/**
 * One request through the stages, in order: path rule -> (proxy.ts will run here, before the
 * match) -> match -> dispatch (cache, run, 404, 405/OPTIONS/400) -> run -> outcome. The writer
 * for the host kind (`write/`) takes it from there.
 */
import type { RouteCache } from '../cache/serve-cached.js'
import type { RouteTable } from '../load/load-table.js'
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import type { ResolvedRoutesOptions } from '../options.js'
import { MISS, type HostRequest, type Outcome } from '../seam.js'
import { dispatch } from './dispatch.js'
import { matchRoute } from './match.js'
import { resolvePath } from './path.js'

/** Answer `host` from `table`: synchronous up to the handler call. */
export function answer(table: RouteTable, host: HostRequest, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle): Outcome | Promise<Outcome> {
  const routed = resolvePath(host.url, host.basePath, options.trailingSlash, table.matcher)
  if (routed === MISS || !('segments' in routed)) return routed
  const matched = matchRoute(table, routed)
  if (matched === undefined) return MISS
  return dispatch({
    route: matched.route,
    params: matched.params,
    source: host,
    options,
    logger: host.logger ?? options.logger,
    cache,
    control: cache.control,
    path: routed.path,
    lifecycle,
  })
}
