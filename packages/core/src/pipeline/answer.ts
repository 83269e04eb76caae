/**
 * One request through the stages, in order: path rule -> proxy (`proxy.ts`, when its matcher
 * matches) -> match -> dispatch (cache, run, 404, 405/OPTIONS/400) -> run -> outcome. The writer
 * for the host kind (`write/`) takes it from there.
 */
import type { CachedRunInput, RouteCache } from '../cache/serve-cached.js'
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import { traceRequest, tracingOn } from '../lifecycle/tracing.js'
import type { LoadedProxy } from '../load/load-proxy.js'
import type { LoadedRoute, RouteTable } from '../load/load-table.js'
import type { ResolvedRoutesOptions } from '../options.js'
import { HostError, MISS, type HostRequest, type Outcome } from '../seam.js'
import { dispatch } from './dispatch.js'
import { matchRoute, type RouteMatch } from './match.js'
import { resolvePath, type RoutedPath } from './path.js'
import { proxyMatches, runProxy, withProxyHeaders } from './proxy.js'

/** Answer `host` from `table`: synchronous up to the handler call (or the proxy). `matched`: the host router's match, if any. */
export function answer(table: RouteTable, host: HostRequest, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle, matched?: LoadedRoute): Outcome | Promise<Outcome> {
  const routed = resolvePath(host.url, host.basePath, options.trailingSlash, table.matcher)
  if (routed === MISS || !('segments' in routed)) return routed
  const { proxy } = table
  // One regular expression test when the proxy's matcher misses: the request goes on as without a proxy.
  if (proxy !== undefined && proxyMatches(proxy, routed.path, host)) return afterProxy(table, proxy, host, routed, options, cache, lifecycle)
  const found = matchRoute(table, routed, matched)
  if (found === undefined) return MISS
  return serve(found, host, routed.path, options, cache, lifecycle)
}

/** Run the proxy, then match what it leaves (a rewrite's target, never proxied again); the host router's match is not used. */
async function afterProxy(table: RouteTable, proxy: LoadedProxy, host: HostRequest, routed: RoutedPath, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle): Promise<Outcome> {
  const passed = await runProxy(proxy, host, options, lifecycle)
  if (!('source' in passed)) return passed
  let target: RoutedPath | undefined = routed
  if (passed.rewritten) {
    const url = passed.source.url
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    // The target's own trailing slash is kept as given: a rewrite is never redirected.
    const resolved = resolvePath(url, host.basePath, path.length > 1 && path.endsWith('/'), table.matcher)
    target = resolved !== MISS && 'segments' in resolved ? resolved : undefined
  }
  const found = target === undefined ? undefined : matchRoute(table, target)
  if (found === undefined) {
    // The host goes on with the proxy's request headers, and its answer gets the proxy's headers.
    host.forward?.(passed.requestHeaders, passed.headers)
    return MISS
  }
  const outcome = await serve(found, passed.source, target!.path, options, cache, lifecycle)
  return outcome instanceof HostError ? outcome : withProxyHeaders(outcome, passed.headers)
}

function serve(found: RouteMatch, source: HostRequest, path: string, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle) {
  const input: CachedRunInput = {
    route: found.route,
    params: found.params,
    source,
    options,
    logger: source.logger ?? options.logger,
    cache,
    control: cache.control,
    path,
    lifecycle,
  }
  // With `@opentelemetry/api` installed, Next's request span around everything a matched route does.
  return tracingOn() ? traceRequest(source, found.route.definition.path, () => dispatch(input)) : dispatch(input)
}
