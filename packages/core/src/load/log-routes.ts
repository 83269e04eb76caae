/**
 * What the adapters log once the routes are loaded, through the host's logger: one line with the
 * count in production; in dev the same line, then the `routeware routes` table.
 */
import { isAbsolute, relative } from 'node:path'
import { serializeRouteTable, toRouteRows } from '../cli/route-table.js'
import type { LoadedRoute } from './load-table.js'
import type { Logger } from '../options.js'

/** Where the routes are served from, as the log names it. */
export interface ServedRoutesInfo {
  /** The app directory, absolute. */
  dir: string
  /** The mount prefix when the host knows it at start-up (Fastify's `prefix`); `''` or absent: none shown. */
  prefix?: string
  /** Add the route table. */
  dev: boolean
}

/** `routeware: serving 17 routes from ./app under /api`, then (dev) the route table. */
export function serializeServedRoutes(routes: readonly LoadedRoute[], info: ServedRoutesInfo): string {
  const count = `${routes.length} route${routes.length === 1 ? '' : 's'}`
  const under = info.prefix ? ` under ${info.prefix}` : ''
  const line = `routeware: serving ${count} from ${displayDir(info.dir)}${under}`
  if (!info.dev || routes.length === 0) return line
  return `${line}\n${serializeRouteTable(toRouteRows(routes)).trimEnd()}`
}

/** Log the served routes at `info`, unless the router's `logRoutes` option is off. */
export function logServedRoutes(logger: Logger, routes: readonly LoadedRoute[], options: { dir: string; dev: boolean; logRoutes: boolean }, prefix?: string): void {
  if (!options.logRoutes) return
  logger.info(serializeServedRoutes(routes, { dir: options.dir, dev: options.dev, prefix }))
}

/** The directory relative to the working directory (`./app`, `../app`), or absolute where that is shorter. */
function displayDir(dir: string): string {
  const rel = relative(process.cwd(), dir)
  if (rel === '') return '.'
  if (isAbsolute(rel)) return dir // another drive
  const shown = rel.startsWith('..') ? rel : `./${rel}`
  return shown.length <= dir.length ? shown.split('\\').join('/') : dir
}
