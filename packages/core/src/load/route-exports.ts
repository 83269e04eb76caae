/** Read a route module's exports: the method handlers, segment config, and Next's diagnostics. */
import type { Logger } from '../options.js'

/** The methods a route file may export (Next's HTTP_METHODS). */
export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** A route handler as a route file exports it. */
export type RouteHandler = (request: never, context: { params: Promise<unknown> | undefined }) => unknown

/** What a loaded route file offers. */
export interface RouteExports {
  handlers: Partial<Record<HttpMethod, RouteHandler>>
  /** Sorted `Allow` value: exported methods, HEAD with GET, and OPTIONS. */
  allow: string
  config: {
    dynamic?: unknown
    revalidate?: unknown
    dynamicParams?: unknown
    generateStaticParams?: unknown
    runtime?: unknown
    maxDuration?: unknown
    fetchCache?: unknown
    preferredRegion?: unknown
  }
}

const CONFIG_KEYS = ['dynamic', 'revalidate', 'dynamicParams', 'generateStaticParams', 'runtime', 'maxDuration', 'fetchCache', 'preferredRegion'] as const

/** Read the exports and log what Next logs for a default export, lowercase names or no methods. */
export function readRouteExports(mod: Record<string, unknown>, file: string, logger: Logger): RouteExports {
  const handlers: RouteExports['handlers'] = {}
  for (const method of HTTP_METHODS) {
    const value = mod[method]
    if (typeof value === 'function') handlers[method] = value as RouteHandler
  }
  // A CommonJS module's namespace also carries `module.exports` as `default`: not a default export.
  const cjsInterop = typeof mod.default === 'object' && mod.default !== null && HTTP_METHODS.some((m) => (mod.default as Record<string, unknown>)[m] === mod[m] && mod[m] !== undefined)
  if ('default' in mod && mod.default !== undefined && !cjsInterop) {
    logger.error(`Detected default export in '${file}'. Export a named export for each HTTP method instead.`)
  }
  for (const method of HTTP_METHODS) {
    const lower = method.toLowerCase()
    if (lower in mod && !(method in mod)) {
      logger.warn(`Detected lowercase method '${lower}' in '${file}'. Export the uppercase '${method}' method name to fix this error.`)
    }
  }
  if (Object.keys(handlers).length === 0) {
    logger.error(`No HTTP methods exported in '${file}'. Export a named export for each HTTP method.`)
  }
  const allowed = new Set<string>(Object.keys(handlers))
  allowed.add('OPTIONS')
  if (handlers.GET) allowed.add('HEAD')
  const config: RouteExports['config'] = {}
  for (const key of CONFIG_KEYS) if (key in mod) config[key] = mod[key]
  return { handlers, allow: [...allowed].sort().join(', '), config }
}
