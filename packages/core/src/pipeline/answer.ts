/**
 * One request through the stages, in order: path rule -> proxy (`proxy.ts`, when its matcher
 * matches) -> match -> dispatch (cache, run, 404, 405/OPTIONS/400) -> run -> outcome. The writer
 * for the host kind (`write/`) takes it from there.
 */
import type { CachedRunInput, RouteCache } from '../cache/serve-cached.js'
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import { traceRequest, tracingOn } from '../lifecycle/tracing.js'
import type { LoadedRoute, RouteTable } from '../load/load-table.js'
import type { ResolvedRoutesOptions } from '../options.js'
import { HostError, MISS, type HostRequest, type Outcome, type Outgoing } from '../seam.js'
import { dispatch } from './dispatch.js'
import { matchRoute, type RouteMatch } from './match.js'
import { resolvePath, type RoutedPath } from './path.js'
import { proxyMatches, runProxy, withProxyHeaders, type ProxyPass } from './proxy.js'

/** Answer `host` from `table`: synchronous up to the handler call (or the proxy). `matched`: the host router's match, if any. */
export function answer(table: RouteTable, host: HostRequest, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle, matched?: LoadedRoute): Outcome | Promise<Outcome> {
  const routed = resolvePath(host.url, host.basePath, options.trailingSlash, table.matcher)
  if (routed === MISS || !('segments' in routed)) return routed
  const { proxy } = table
  // One regular expression test when the proxy's matcher misses: the request goes on as without a proxy.
  if (proxy !== undefined && proxyMatches(proxy, routed.path, host)) {
    const passed = runProxy(proxy, host, options, lifecycle)
    return passed instanceof Promise ? passed.then((p) => afterProxy(p, table, host, routed, options, cache, lifecycle, matched)) : afterProxy(passed, table, host, routed, options, cache, lifecycle, matched)
  }
  const found = matchRoute(table, routed, matched)
  if (found === undefined) return MISS
  return serve(found, host, routed.path, options, cache, lifecycle)
}

/**
 * What the proxy left: its answer, or the match of the path (the host router's match still
 * used) or of a rewrite's target (matched afresh, never proxied again), served with the
 * proxy's request and its response headers.
 */
function afterProxy(passed: Outgoing | ProxyPass, table: RouteTable, host: HostRequest, routed: RoutedPath, options: ResolvedRoutesOptions, cache: RouteCache, lifecycle: Lifecycle, matched: LoadedRoute | undefined): Outcome | Promise<Outcome> {
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
  const found = target === undefined ? undefined : matchRoute(table, target, passed.rewritten ? undefined : matched)
  if (found === undefined) {
    // The host goes on with the proxy's request headers, and its answer gets the proxy's headers.
    host.forward?.(passed.requestHeaders, passed.headers)
    return MISS
  }
  const outcome = serve(found, passed.source, target!.path, options, cache, lifecycle)
  if (passed.headers.length === 0) return outcome
  const add = (settled: Outgoing | HostError) => (settled instanceof HostError ? settled : withProxyHeaders(settled, passed.headers))
  return outcome instanceof Promise ? outcome.then(add) : add(outcome)
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
