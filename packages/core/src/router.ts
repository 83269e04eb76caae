/** The router: loads the route table once, then answers each host request along one path. */
import { createDevLoader, createProductionLoader, type RouteLoader } from './load/import-route.js'
import { loadTable as loadRouteTable, type RouteTable } from './load/load-table.js'
import { loadProxy } from './load/load-proxy.js'
import { watchTree, type TreeWatcher } from './load/watch.js'
import type { ResolvedRoutesOptions } from './options.js'
import type { LoadedRoute } from './load/load-table.js'
import { answer } from './pipeline/answer.js'
import { HostError, type HostRequest, type Outcome } from './seam.js'
import { createRouteCache, type RouteCache } from './cache/serve-cached.js'
import { prerender, prerenders } from './cache/prerender.js'
import { createMemoryStore } from './cache/store.js'
import { loadTracing } from './lifecycle/tracing.js'
import { provideVercelRequestContext } from './lifecycle/after.js'
import { registerInstrumentation } from './lifecycle/instrumentation.js'
import { Lifecycle } from './lifecycle/lifecycle.js'
import { enableScopeFor } from './lifecycle/scope-use.js'

/** The loaded route table (built by `load/load-table.ts`, the pipeline the CLI shares). */
export type { RouteTable }

/** What `createRouter` gives the adapters. */
export interface Router {
  readonly options: ResolvedRoutesOptions
  /** Resolves once the table is loaded; rejects with the load error. Safe to leave un-awaited. */
  ready(): Promise<void>
  /** Stop background work (file watching in dev); wait for requests in flight and `after()` tasks, at most `shutdownTimeout`. */
  close(): Promise<void>
  /** The loaded routes, in Next's precedence order. Throws before `ready()` resolved. */
  routes(): readonly LoadedRoute[]
  /** Whether a proxy file (`proxy.ts` / `middleware.ts`) was loaded. Throws before `ready()` resolved. */
  hasProxy(): boolean
  /**
   * Answer a request: a response, `MISS` (the host goes on: Express `next()`, Fastify's 404) or a
   * `HostError` (a failed load, `onError: 'next'`). Synchronous when no handler runs (a redirect,
   * a 400, a miss); a promise otherwise. `matched`: see {@link MatchedRoute}.
   */
  handle(host: HostRequest, matched?: MatchedRoute): Outcome | Promise<Outcome>
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
  const lifecycle = new Lifecycle(options.logger, options.shutdownTimeout)
  provideVercelRequestContext()
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
  // instrumentation.ts first, as Next runs register() before any route module is imported;
  // `@opentelemetry/api`, when installed, is imported beside the table, never at module load.
  const loading = registerInstrumentation(options).then((instrumentation) => {
    lifecycle.onRequestError = instrumentation?.onRequestError
    lifecycle.instrumentationFile = instrumentation?.file
    return Promise.all([loadTable(options, cache, loader), loadTracing()])
  }).then(
    ([loaded]) => {
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
      await lifecycle.close()
    },
    routes() {
      if (!table) throw loadError ?? new Error('Routeware: the route table is not loaded yet; await ready() first.')
      return table.routes
    },
    hasProxy() {
      if (!table) throw loadError ?? new Error('Routeware: the route table is not loaded yet; await ready() first.')
      return table.proxy !== undefined
    },
    handle(host, matched) {
      if (table) {
        try {
          return answer(table, host, options, cache, lifecycle, options.dev ? undefined : matched)
        } catch (error) {
          return new HostError(error)
        }
      }
      return tableOrThrow().then(
        (t) => answer(t, host, options, cache, lifecycle),
        (error: unknown) => new HostError(error),
      )
    },
  }
}

/** The table, loaded by the pipeline the CLI shares; then every cacheable path without params and those `generateStaticParams` lists are prerendered, as `next build` does. */
async function loadTable(options: ResolvedRoutesOptions, cache: RouteCache, loader: RouteLoader): Promise<RouteTable> {
  // One after the other: jiti imports of files sharing a module must not overlap.
  const routes = await loadRouteTable(options, loader)
  const proxy = await loadProxy(options, loader)
  const table: RouteTable = proxy === undefined ? routes : { ...routes, proxy }
  enableScopeFor(table.routes)
  await renderAtStartup(table.routes.filter(prerenders), options, cache)
  return table
}

/** Start-up renders in flight at once: `next build` prerenders in parallel too, and Fastify's `pluginTimeout` (10 s by default) bounds the whole start-up. */
const RENDER_CONCURRENCY = 8

/** Prerender `routes`, `RENDER_CONCURRENCY` at a time (each logs its own failures and never rejects). */
async function renderAtStartup(routes: readonly LoadedRoute[], options: ResolvedRoutesOptions, cache: RouteCache): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    for (let route = routes[next++]; route !== undefined; route = routes[next++]) await prerender(route, options, cache)
  }
  await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, routes.length) }, worker))
}
