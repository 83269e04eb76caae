/** Scan an app directory and build its routes, in Next's precedence order: the first stage of loading. */
import { type RouteDefinition, buildRoutes } from '../tree/build.js'
import { createMatcher } from '../tree/match.js'
import { scanAppDir } from '../tree/scan.js'

/**
 * The routes of `dir` (absolute), or the `RoutewareError` a refused tree gets, Next's message
 * first. Ordered as matching tries them: static, `[param]`, `[...catchAll]`, `[[...optional]]`.
 * No route file is imported. `onIgnored` hears of each `route.<unknown extension>` file, which
 * nothing serves (`route.md`, `route.ts.orig`).
 */
export async function readRouteTree(dir: string, onIgnored?: (relFile: string) => void): Promise<RouteDefinition[]> {
  const { files, ignored } = await scanAppDir(dir)
  if (onIgnored) for (const relFile of ignored) onIgnored(relFile)
  const definitions = buildRoutes(files, dir)
  return createMatcher(definitions.map((definition) => ({ definition })))
    .list()
    .map((route) => route.definition)
}
