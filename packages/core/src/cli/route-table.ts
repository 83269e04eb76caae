/** The route table `routeware routes` prints: path, methods, segment config, file. */
import { dirname, relative, sep } from 'node:path'
import type { LoadedProxy } from '../load/load-proxy.js'
import type { LoadedRoute } from '../load/load-table.js'
import { describeMatcher } from '../load/proxy-matcher.js'
import { HTTP_METHODS } from '../load/route-exports.js'

/** One line of the table. */
export interface RouteRow {
  path: string
  /** The methods the file exports, in Next's order (HEAD and OPTIONS are answered for every route anyway). */
  methods: string[]
  /** The segment config the file exports; a function reads `"[Function]"`. */
  config: Record<string, unknown>
  /** The route file, relative to the app directory, with `/` separators. */
  file: string
  /** For a metadata file (`sitemap.ts`, `robots.txt`...): its kind. */
  metadata?: string
}

/** One row per loaded route, in the table's (Next's precedence) order. */
export function toRouteRows(routes: readonly LoadedRoute[]): RouteRow[] {
  return routes.map(({ definition, exports }) => {
    const config: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(exports.config)) config[key] = typeof value === 'function' ? '[Function]' : value
    const row: RouteRow = { path: definition.path, methods: HTTP_METHODS.filter((m) => exports.handlers[m]), config, file: definition.relFile }
    if (definition.metadata) row.metadata = definition.metadata.kind
    return row
  })
}

/** `dynamic="force-dynamic" revalidate=60`: strings quoted, everything else as JSON. */
function serializeConfig(config: Record<string, unknown>): string {
  const parts = Object.entries(config).map(([key, value]) => `${key}=${value === '[Function]' ? 'function' : stringify(value)}`)
  return parts.length === 0 ? '-' : parts.join(' ')
}

function stringify(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** The table as aligned text columns, one route per line, under a header. */
export function serializeRouteTable(rows: readonly RouteRow[]): string {
  const lines = [
    ['Route', 'Methods', 'Config', 'File'],
    ...rows.map((row) => [row.path, row.methods.length === 0 ? '-' : row.methods.join(', '), serializeConfig(row.config), row.file]),
  ]
  const widths = [0, 1, 2].map((column) => Math.max(...lines.map((line) => line[column]!.length)))
  return lines.map((line) => line.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')).join('\n') + '\n'
}

/** The proxy file above the table: its file and matchers. */
export interface ProxyRow {
  /** Relative to the folder that holds the app directory, with `/` separators (`proxy.ts`). */
  file: string
  /** Each matcher as written, with its conditions; `null`: no matcher, every path. */
  matchers: string[] | null
}

/** The proxy's row. */
export function toProxyRow(proxy: LoadedProxy, dir: string): ProxyRow {
  const file = relative(dirname(dir), proxy.file).split(sep).join('/')
  return { file, matchers: proxy.matchers ? proxy.matchers.map(describeMatcher) : null }
}

/** `Proxy: proxy.ts` and one `matcher:` line per matcher, then a blank line. */
export function serializeProxy(row: ProxyRow): string {
  const matchers = row.matchers ?? ['(none: every path)']
  return [`Proxy: ${row.file}`, ...matchers.map((m) => `  matcher: ${m}`), '', ''].join('\n')
}

/** The table as JSON: `{ proxy?: ProxyRow, routes: RouteRow[] }`. */
export function serializeRouteJson(rows: readonly RouteRow[], proxy?: ProxyRow): string {
  return JSON.stringify(proxy ? { proxy, routes: rows } : { routes: rows }, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2) + '\n'
}
