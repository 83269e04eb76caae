/** Find every route file under the app directory. */
import fg from 'fast-glob'
import { join } from 'node:path'
import type { RouteFile } from './build.js'

/** The file names Routeware serves, as Next does for route handlers. */
export const ROUTE_FILE_GLOB = '**/route.{ts,mts,cts,js,mjs,cjs}'

/**
 * Scan `dir` (absolute) with fast-glob. `node_modules` is skipped; dot-folders are not, since
 * Next serves route files under `app/.well-known`.
 */
export async function scanRoutes(dir: string): Promise<RouteFile[]> {
  const found = await fg(ROUTE_FILE_GLOB, {
    cwd: dir,
    onlyFiles: true,
    dot: true,
    followSymbolicLinks: true,
    ignore: ['**/node_modules/**'],
  })
  return found.sort().map((relFile) => ({ relFile, file: join(dir, relFile) }))
}
