/** The router: loads the route table once, then answers each host request along one path. */
import { createDevLoader, createProductionLoader, type RouteLoader } from './load/import-route.js'
import { loadTable as loadRouteTable, type RouteTable } from './load/load-table.js'
import { watchTree, type TreeWatcher } from './load/watch.js'
import { type ResolvedRoutesOptions, type Logger } from './options.js'
import { type LoadedRoute, runRoute } from './run-route.js'
import { createRouteCache, type RouteCache } from './cache/serve-cached.js'
import { prerender } from './cache/prerender.js'
import { createMemoryStore } from './cache/store.js'
import { canonicalize, isCanonical, splitPath, splitRaw } from './tree/canonical.js'
import { readParams } from './tree/match.js'
import { isUsableHint } from './tree/match-hint.js'
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

/** The loaded route table (built by `load/load-table.ts`, the pipeline the CLI shares). */
export type { RouteTable }

/** What `createRouter` gives the adapters. */
export interface Router {
  readonly options: ResolvedRoutesOptions
  /** Resolves once the table is loaded; rejects with the load error. Safe to leave un-awaited. */
  ready(): Promise<void>
  /** Stop background work (file watching in dev). */
  close(): Promise<void>
  /** The loaded routes, in Next's precedence order. Throws before `ready()` resolved. */
  routes(): readonly LoadedRoute[]
  /**
   * Answer a request; `undefined` means "not ours": the host goes on (Express `next()`, Fastify
   * 404). Synchronous when no handler runs (a redirect, a 400, a miss); a promise otherwise.
   * `matched`: see {@link MatchedRoute}.
   */
  handle(host: HostRequest, matched?: MatchedRoute): Promise<Outgoing | undefined> | Outgoing | undefined
}

/**
 * A route the host's own router already matched (one of `routes()`), so core need not walk its
 * trie again. Core still runs the path rule on the raw path first and reads the params from the
 * raw path itself (split, then each segment decoded once). The hint is used only when the path
 * is canonical, has no `#` or `;` (which a host router may treat as delimiters) and fits the
 * route's segments, and never in dev, where the table is replaced on every change; otherwise
 * core matches as without it.
 */
export type MatchedRoute = LoadedRoute

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
    handle(host, matched) {
      if (table) return answer(table, host, matched)
      return tableOrThrow().then((t) => answer(t, host, matched))
    },
  }

  /** The path rule, the match, then the route: synchronous up to the handler call. */
  function answer(t: RouteTable, host: HostRequest, matched: MatchedRoute | undefined): Promise<Outgoing | undefined> | Outgoing | undefined {
    const { url, basePath: prefix } = host
    const q = url.indexOf('?')
    const rawPath = q === -1 ? url : url.slice(0, q)
    // Only origin-form targets are ours (RFC 9112 §3.2.1): `*/admin`, `admin/x` and absolute-form
    // would otherwise lose their first segment in the split and slip past a host guard on `/admin`.
    if (rawPath.charCodeAt(0) !== 47) return undefined
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
    const route = matched !== undefined && !canonical && !options.dev && isUsableHint(matched.definition, rawPath, segments) ? matched : t.matcher.match(segments)
    if (!route) return undefined
    return runRoute({ route, params: readParams(route.definition, segments), options, logger: host.logger, source: host, cache, key: subPath })
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

/** The table, loaded by the pipeline the CLI shares; then the paths `generateStaticParams` lists are prerendered, as `next build` does. */
async function loadTable(options: ResolvedRoutesOptions, cache: RouteCache, loader: RouteLoader): Promise<RouteTable> {
  const table = await loadRouteTable(options, loader)
  for (const route of table.routes) if (route.policy.generateStaticParams) await prerender(route, options, cache)
  return table
}
