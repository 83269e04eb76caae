/**
 * What changes about a route while it is served, kept beside the loaded table instead of in it:
 * the table stays immutable, and a dev reload (a new table, new route objects) starts afresh.
 */
import { canonicalPath } from '../cache/cache-key.js'
import type { LoadedRoute } from './load-table.js'

/** The run-time state of one loaded route. */
export interface RouteState {
  /** A cacheable GET read a dynamic input (headers, cookies, search params): from now on it runs uncached. */
  dynamic: boolean
  /** Paths `generateStaticParams` listed at start-up, for `dynamicParams = false`; undefined until it ran. */
  listed: ReadonlySet<string> | undefined
}

// Keyed by the route object, so a replaced table's states go with it.
const states = new WeakMap<LoadedRoute, RouteState>()

/** The state of `route`, created on first use (only routes that cache or list params ever ask). */
export function routeState(route: LoadedRoute): RouteState {
  let state = states.get(route)
  if (state === undefined) states.set(route, (state = { dynamic: false, listed: undefined }))
  return state
}

/** Whether a GET of `route` goes through the response cache: its policy allows it and no run found it dynamic. */
export function servesFromCache(route: LoadedRoute): boolean {
  return route.policy.cacheable && !routeState(route).dynamic
}

/**
 * `dynamicParams = false` and `path` (below the prefix, as received) is not one
 * `generateStaticParams` listed: Next answers 404. The path is spelled canonically only for such
 * routes, never on the hot path of the others.
 */
export function isUnlisted(route: LoadedRoute, path: string): boolean {
  if (route.policy.dynamicParams) return false
  const listed = routeState(route).listed
  return listed !== undefined && !listed.has(canonicalPath(path))
}
