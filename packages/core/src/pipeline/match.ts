/** Stage 3, match: one walk of the route trie for a canonical path, and the params read from it by position. */
import type { LoadedRoute, RouteTable } from '../load/load-table.js'
import { readParams } from '../tree/match.js'
import type { RoutedPath } from './path.js'

/** A route and its params. */
export interface RouteMatch {
  route: LoadedRoute
  params: Record<string, string | string[]> | undefined
}

/** The route serving `routed`, or `undefined` when none does. */
export function matchRoute(table: RouteTable, routed: RoutedPath): RouteMatch | undefined {
  const route = table.matcher.match(routed.segments)
  return route === undefined ? undefined : { route, params: readParams(route.definition, routed.segments) }
}
