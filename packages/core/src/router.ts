/** The router: loads the route table once, then answers each host request along one path. */
import { stat } from 'node:fs/promises'
import { RoutewareError } from './errors.js'
import { createDevLoader, createProductionLoader, type RouteLoader } from './load/import-route.js'
import { watchTree, type TreeWatcher } from './load/watch.js'
import { readRouteExports } from './load/route-exports.js'
import { loadFailure } from './load/load-failure.js'
import { type ResolvedRoutesOptions, type Logger } from './options.js'
import { type LoadedRoute, runRoute } from './run-route.js'
import { readPolicy } from './cache/segment-config.js'
import { createRouteCache, type RouteCache } from './cache/serve-cached.js'
import { prerender } from './cache/prerender.js'
import { createMemoryStore } from './cache/store.js'
import { buildRoutes } from './tree/build.js'
import { canonicalize, isCanonical, splitPath, splitRaw } from './tree/canonical.js'
import { createMatcher, type Matcher, readParams } from './tree/match.js'
import { scanRoutes } from './tree/scan.js'
import type { RequestSource } from './web/next-request.js'
import { emptyOutgoing, type Outgoing, redirectOutgoing } from './web/outgoing.js'

/**
 * What an adapter knows about one request: the request source the handler's `NextRequest` reads
 * lazily, plus the raw URL and the logger. No framework types cross this line.
 */
export interface HostRequest extends RequestSource {
  /** Path and query exactly as received, mount prefix included (`req.originalUrl`, `request.raw.url`). */
  readonly url: string
  readonly logger: Logger
}

/** The loaded route table. */
export interface RouteTable {
  routes: LoadedRoute[]
  matcher: Matcher<LoadedRoute>
}

/** What `createRouter` gives the adapters. */
export interface Router {
  readonly options: ResolvedRoutesOptions
  /** Resolves once the table is loaded; rejects with the load error. Safe to leave un-awaited. */
  ready(): Promise<void>
  /** Stop background work (file watching in dev). */
  close(): Promise<void>
  /** The loaded routes, in Next's precedence order. Throws before `ready()` resolved. */
  routes(): LoadedRoute[]
  /**
   * Answer a request; `undefined` means "not ours": the host goes on (Express `next()`, Fastify
   * 404). Synchronous when no handler runs (a redirect, a 400, a miss); a promise otherwise.
   */
  handle(host: HostRequest): Promise<Outgoing | undefined> | Outgoing | undefined
}

const noop = () => {}

/** Load the app directory and build the request pipeline. Loading starts at once. */
export function createRouter(options: ResolvedRoutesOptions): Router {
  const cache = createRouteCache(options.cache ?? createMemoryStore(), options.logger)
  let table: RouteTable | undefined
  let loadError: unknown
  let loader: RouteLoader = options.dev ? createDevLoader(options.dir) : createProductionLoader(options.dir)
  let watcher: TreeWatcher | undefined
  let reloading: Promise<void> | undefined
  let closed = false
  let again = false
  // Dev: rebuild the whole table on a change and swap it in at once; requests in flight keep theirs.
  const reload = async (): Promise<void> => {
    if (reloading) {
      again = true
      return reloading
    }
    reloading = (async () => {
      do {
        again = false
        loader.release()
        const next = createDevLoader(options.dir)
        try {
          table = await loadTable(options, cache, next)
          loadError = undefined
          options.logger.info(`Routeware reloaded ${options.dir}: ${table.routes.length} route(s).`)
        } catch (error) {
          // A refused tree keeps the last good table; the error says what to fix.
          options.logger.error(error instanceof Error ? error.message : error)
          if (!table) loadError = error
        }
        loader = next
        watcher?.watchFiles(loader.loadedFiles())
      } while (again)
    })().finally(() => {
      reloading = undefined
    })
    return reloading
  }
  const loading = loadTable(options, cache, loader).then(
    (loaded) => {
      table = loaded
      if (options.dev && !closed) {
        watcher = watchTree(options.dir, () => void reload())
        watcher.watchFiles(loader.loadedFiles())
      }
    },
    (error) => {
      loadError = error
      throw error
    },
  )
  loading.catch(noop)

  const tableOrThrow = async (): Promise<RouteTable> => {
    if (table) return table
    await loading
    if (!table) throw loadError
    return table
  }

  const matchPath = (t: RouteTable, path: string) => {
    const segments = splitPath(path)
    if (!segments) return undefined
    const route = t.matcher.match(segments)
    return route ? { route, segments } : undefined
  }

  return {
    options,
    ready() {
      const promise = loading.then(noop)
      promise.catch(noop)
      return promise
    },
    async close() {
      closed = true
      watcher?.close()
      watcher = undefined
      await reloading
    },
    routes() {
      if (!table) throw loadError ?? new Error('Routeware: the route table is not loaded yet; await ready() first.')
      return table.routes
    },
    handle(host) {
      if (table) return answer(table, host)
      return tableOrThrow().then((t) => answer(t, host))
    },
  }

  /** The path rule, the match, then the route: synchronous up to the handler call. */
  function answer(t: RouteTable, host: HostRequest): Promise<Outgoing | undefined> | Outgoing | undefined {
    const { url, basePath: prefix } = host
    const q = url.indexOf('?')
    const rawPath = q === -1 ? url : url.slice(0, q)
    const canonical = isCanonical(rawPath, options.trailingSlash) ? undefined : canonicalize(rawPath, options.trailingSlash)
    if (canonical?.malformed) {
      // Ours only if the path, read without decoding, lands on one of our routes.
      const sub = below(rawPath, prefix)
      return sub !== undefined && t.matcher.match(splitRaw(sub)) ? emptyOutgoing(400) : undefined
    }
    if (canonical?.changed) {
      const sub = below(canonical.path, prefix)
      if (sub === undefined || !matchPath(t, stripSlash(sub))) return undefined
      return redirectOutgoing(canonical.path + (q === -1 ? '' : url.slice(q)))
    }
    const sub = below(rawPath, prefix)
    if (sub === undefined) return undefined
    const subPath = stripSlash(sub)
    const segments = splitPath(subPath)
    if (!segments) return t.matcher.match(splitRaw(subPath)) ? emptyOutgoing(400) : undefined
    const route = t.matcher.match(segments)
    if (!route) return undefined
    return runRoute({ route, params: readParams(route.definition, segments), options, logger: host.logger, source: host, cache, path: subPath })
  }
}

/** The path below the mount prefix, or `undefined` when the path is outside it. */
function below(path: string, prefix: string): string | undefined {
  if (!prefix) return path
  if (path === prefix) return '/'
  return path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 ? path.slice(prefix.length) : undefined
}

/** With `trailingSlash: true` canonical paths end in `/`; the matcher wants them without. */
function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

async function loadTable(options: ResolvedRoutesOptions, cache: RouteCache, loader: RouteLoader): Promise<RouteTable> {
  const info = await stat(options.dir).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new RoutewareError('ROUTEWARE_INVALID_OPTION', `The app directory ${options.dir} does not exist or is not a directory. Pass the folder that holds your route files as \`dir\`.`)
  }
  const definitions = buildRoutes(await scanRoutes(options.dir), options.dir)
  const loads = startLoads(definitions, loader)
  const routes: LoadedRoute[] = []
  for (const [index, definition] of definitions.entries()) {
    let mod: Record<string, unknown>
    try {
      mod = await loads(index)
    } catch (error) {
      const failure = loadFailure([{ file: definition.file, error }])
      // In dev a broken file fails alone: its route answers 500 with the error, the rest serve.
      if (!options.dev) throw failure
      options.logger.error(failure.message)
      routes.push({ definition, exports: { handlers: {}, allow: 'OPTIONS', config: {} }, policy: DYNAMIC_POLICY, listed: undefined, loadError: failure })
      continue
    }
    const exports = readRouteExports(mod, definition.file, options.logger)
    const policy = readPolicy(definition, exports, options.logger)
    // Dev has no response cache (NEXT-BEHAVIOUR G6): handlers run on every request.
    if (options.dev) policy.cacheable = false
    routes.push({ definition, exports, policy, listed: undefined })
  }
  const matcher = createMatcher(routes)
  for (const route of routes) if (route.policy.generateStaticParams) await prerender(route, options, cache)
  return { routes: matcher.list(), matcher }
}

/** Native imports in flight at once: about twice as fast as one by one over 10,000 files. */
const IMPORT_CONCURRENCY = 32

/**
 * Start loading every route file; `loads(i)` is the i-th file's exports. Files the loader imports
 * natively go `IMPORT_CONCURRENCY` at a time (Node's module cache evaluates a shared module once);
 * the others one at a time, in order, when asked for: concurrent jiti imports of files sharing a
 * module would evaluate it twice.
 */
function startLoads(definitions: readonly { file: string }[], loader: RouteLoader): (index: number) => Promise<Record<string, unknown>> {
  const native: Array<Promise<Record<string, unknown>> | undefined> = []
  const queue = definitions.flatMap((d, i) => (loader.concurrent(d.file) ? [i] : []))
  let next = 0
  const pump = (): Promise<void> | undefined => {
    const index = queue[next++]
    if (index === undefined) return undefined
    const loading = loader.load(definitions[index]!.file)
    loading.catch(() => {}) // read (and reported) in order by loadTable
    native[index] = loading
    return loading.then(pump, pump)
  }
  for (let i = 0; i < IMPORT_CONCURRENCY; i++) void pump()
  return (index) => native[index] ?? loader.load(definitions[index]!.file)
}

const DYNAMIC_POLICY: LoadedRoute['policy'] = {
  cacheable: false,
  revalidate: false,
  forceStatic: false,
  dynamicError: false,
  generateStaticParams: undefined,
  dynamicParams: true,
  maxDuration: undefined,
}
