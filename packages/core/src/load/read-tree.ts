/** Scan an app directory and build its routes, in Next's precedence order: the first stage of loading. */
import { type RouteDefinition, buildRoutes } from '../tree/build.js'
import { createMatcher } from '../tree/match.js'
import { scanRoutes } from '../tree/scan.js'

/**
 * The routes of `dir` (absolute), or the `RoutewareError` a refused tree gets, Next's message
 * first. Ordered as matching tries them: static, `[param]`, `[...catchAll]`, `[[...optional]]`.
 * No route file is imported.
 */
export async function readRouteTree(dir: string): Promise<RouteDefinition[]> {
  const definitions = buildRoutes(await scanRoutes(dir), dir)
  return createMatcher(definitions.map((definition) => ({ definition })))
    .list()
    .map((route) => route.definition)
}
