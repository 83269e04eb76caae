/**
 * Stage 3, match: one walk of the route trie for a canonical path, or none when the host's own
 * router already matched (Fastify's find-my-way), and the params read by position from the path.
 */
import type { LoadedRoute, RouteTable } from '../load/load-table.js'
import { readParams } from '../tree/match.js'
import { isUsableHint } from '../tree/match-hint.js'
import type { RoutedPath } from './path.js'

/** A route and its params. */
export interface RouteMatch {
  route: LoadedRoute
  params: Record<string, string | string[]> | undefined
}

/** The route serving `routed`, or `undefined` when none does; `hint` is the host's match, used when it fits. */
export function matchRoute(table: RouteTable, routed: RoutedPath, hint?: LoadedRoute): RouteMatch | undefined {
  const route = hint !== undefined && isUsableHint(hint.definition, routed.path, routed.segments) ? hint : table.matcher.match(routed.segments)
  return route === undefined ? undefined : { route, params: readParams(route.definition, routed.segments) }
}
