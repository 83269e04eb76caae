/**
 * `listRoutes(dir)`: the route table of an app directory, as `routeware routes --json` prints it,
 * for code that shows what is served (an index page, a health report). Loaded by the pipeline the
 * server and the CLI share, with the production loader: in a server that serves `dir`, every route
 * module is already in the module cache, so nothing is evaluated twice.
 */
import { toRouteRows, type RouteRow } from '../cli/route-table.js'
import { resolveDir, type Logger } from '../options.js'
import { createProductionLoader } from './import-route.js'
import { loadTable } from './load-table.js'

/** The server already logged every export diagnostic of the tree it serves: say nothing twice. */
const silent: Logger = { error() {}, warn() {}, info() {} }

/** One table per directory, for the life of the process (a rejected load is forgotten, so a fixed tree loads). */
const tables = new Map<string, Promise<readonly RouteRow[]>>()

/**
 * The routes under `dir` (absolute, a `file:` URL, or relative to the working directory), in
 * Next's precedence order: `{ path, methods, config, file }` each, exactly the rows of
 * `routeware routes <dir> --json`. Loaded on the first call, then cached per directory: files
 * added later (dev) show after a restart. A refused tree rejects with the server's `RoutewareError`.
 */
export function listRoutes(dir: string | URL): Promise<readonly RouteRow[]> {
  const resolved = resolveDir(dir)
  let table = tables.get(resolved)
  if (!table) {
    // Every caller shares the rows: frozen, down to each row's methods and config.
    const freeze = (row: RouteRow): RouteRow => Object.freeze({ ...row, methods: Object.freeze(row.methods) as string[], config: Object.freeze(row.config) })
    table = loadTable({ dir: resolved, dev: false, logger: silent }, createProductionLoader(resolved)).then((loaded) => Object.freeze(toRouteRows(loaded.routes).map(freeze)))
    tables.set(resolved, table)
    table.catch(() => tables.delete(resolved))
  }
  return table
}

export type { RouteRow }
