/**
 * The one load pipeline, for the server and the `routeware routes` CLI: scan -> build (Next's
 * refusals) -> import -> exports -> segment config -> an immutable table. What changes while
 * serving (a route found dynamic, the paths `generateStaticParams` listed) is kept beside the
 * table, in `route-state.ts`; prerendering is a later step only the server runs.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { invalidOption, isRoutewareError, RoutewareError } from '../errors.js'
import type { Logger } from '../options.js'
import { type RoutePolicy, readPolicy } from '../cache/segment-config.js'
import type { RouteDefinition } from '../tree/build.js'
import { createMatcher, type Matcher } from '../tree/match.js'
import { type RouteLoader, startLoads } from './import-route.js'
import type { LoadedProxy } from './load-proxy.js'
import { loadFailure } from './load-failure.js'
import { type RouteExports, readRouteExports } from './route-exports.js'
import { readRouteTree } from './read-tree.js'
import { codeMetadataExports, hasParams, staticMetadataExports } from '../metadata/metadata-route.js'
import { ROUTE_EXTENSIONS } from '../tree/scan.js'

/** A route file, loaded: never changed once the table is built (frozen). */
export interface LoadedRoute {
  readonly definition: Readonly<RouteDefinition>
  readonly exports: Readonly<RouteExports>
  readonly policy: Readonly<RoutePolicy>
  /** Dev: the file failed to load; its route answers 500 with this error until it is fixed. */
  readonly loadError?: Error
}

/** The loaded route table. */
export interface RouteTable {
  /** Every route, in Next's precedence order (static, `[param]`, `[...catchAll]`, `[[...optional]]`). */
  readonly routes: readonly LoadedRoute[]
  readonly matcher: Matcher<LoadedRoute>
  /** `proxy.ts` (or `middleware.ts`), when there is one: the server loads it beside the routes. */
  readonly proxy?: LoadedProxy
}

/** What loading needs to know (the router's resolved options fit). */
export interface LoadOptions {
  /** The app directory, absolute. */
  readonly dir: string
  /** Dev: a file that fails to load answers 500 alone instead of refusing the tree; nothing is cached. */
  readonly dev: boolean
  /** Where Next's export diagnostics (and, in dev, load failures) go. */
  readonly logger: Logger
}

/**
 * Load every route file of `options.dir` through `loader`. A refused tree, a route file that fails
 * to load (production) or an invalid segment config rejects with one `RoutewareError`. Each stage
 * runs over every file before refusing, so one error names every file that failed it: first the
 * files that failed to load (`ROUTEWARE_ROUTE_LOAD_FAILED`), else the files with an invalid
 * segment config (`ROUTEWARE_INVALID_EXPORT`).
 */
export async function loadTable(options: LoadOptions, loader: RouteLoader): Promise<RouteTable> {
  const info = await stat(options.dir).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw invalidOption('dir', `the folder that holds your route files: the app directory ${options.dir} does not exist or is not a directory`)
  }
  const definitions = await readRouteTree(options.dir, (relFile) =>
    options.logger.warn(`${join(options.dir, relFile)} is not served: a route file is named route.{${ROUTE_EXTENSIONS.join(',')}}. Rename it, or move it under a _private folder to silence this warning.`),
  )
  // Modules only: a static metadata file (robots.txt, icon.png) is read, never imported.
  const modules = definitions.filter((d) => !d.metadata || d.metadata.code)
  const moduleIndex = new Map(modules.map((d, i) => [d, i]))
  const loads = startLoads(modules, loader)
  const routes: LoadedRoute[] = []
  const failures: { file: string; error: unknown }[] = []
  const invalid: RoutewareError[] = []
  for (const definition of definitions) {
    let mod: Record<string, unknown> = {}
    let metadata: Awaited<ReturnType<typeof staticMetadataExports>> | undefined
    try {
      const index = moduleIndex.get(definition)
      if (index !== undefined) mod = await loads(index)
      if (definition.metadata) metadata = definition.metadata.code ? codeMetadataExports({ ...definition, metadata: definition.metadata }, mod) : await staticMetadataExports({ ...definition, metadata: definition.metadata }, options.dev)
    } catch (error) {
      if (!options.dev) {
        failures.push({ file: definition.file, error })
        continue
      }
      // In dev a broken file fails alone: its route answers 500 with the error, the rest serve.
      const failure = loadFailure([{ file: definition.file, error }])
      options.logger.error(failure.message)
      routes.push(freezeRoute(definition, EMPTY_EXPORTS, DYNAMIC_POLICY, failure))
      continue
    }
    // A default export or lowercase method names are logged, not refused, as Next logs them
    // (packages/next/src/server/route-modules/app-route/module.ts); the segment config is refused
    // as Next's parseAppSegmentConfig refuses it (packages/next/src/build/segment-config/app/app-segment-config.ts).
    const exports = metadata ?? readRouteExports(mod, definition.file, options.logger)
    let policy: RoutePolicy
    try {
      policy = readPolicy(definition, exports, options.logger, metadata && { hasParams: hasParams(definition) })
      // A metadata route is rendered at start-up, as `next build` prerenders it.
      if (metadata) policy.generateStaticParams = policy.cacheable ? metadata.prerender : undefined
    } catch (error) {
      if (!isRoutewareError(error) || error.code !== 'ROUTEWARE_INVALID_EXPORT') throw error
      invalid.push(error)
      continue
    }
    // Dev has no response cache: handlers run on every request, as `next dev` renders each one.
    if (options.dev) policy.cacheable = false
    routes.push(freezeRoute(definition, exports, policy))
  }
  loader.settled()
  if (failures.length > 0) throw loadFailure(failures)
  if (invalid.length > 0) throw invalidExports(invalid)
  // `definitions` came in precedence order, and so did `routes`.
  return Object.freeze({ routes: Object.freeze(routes), matcher: createMatcher(routes) })
}

function freezeRoute(definition: RouteDefinition, exports: RouteExports, policy: RoutePolicy, loadError?: Error): LoadedRoute {
  Object.freeze(exports.handlers)
  Object.freeze(exports.config)
  const route: LoadedRoute = loadError
    ? { definition, exports: Object.freeze(exports), policy: Object.freeze(policy), loadError }
    : { definition, exports: Object.freeze(exports), policy: Object.freeze(policy) }
  return Object.freeze(route)
}

/** Every file's segment config problems under one code: Next's message for each route, in order. */
function invalidExports(errors: readonly RoutewareError[]): RoutewareError {
  if (errors.length === 1) return errors[0]!
  return new RoutewareError('ROUTEWARE_INVALID_EXPORT', errors.map((e) => e.message).join('\n\n'), { files: errors.flatMap((e) => e.files) })
}

/** What a dev route whose file failed to load exports: nothing but OPTIONS. */
const EMPTY_EXPORTS: RouteExports = { handlers: {}, allow: 'OPTIONS', config: {} }

/** How a dev route whose file failed to load is served: never from the cache. */
const DYNAMIC_POLICY: RoutePolicy = {
  cacheable: false,
  revalidate: false,
  forceStatic: false,
  dynamicError: false,
  generateStaticParams: undefined,
  dynamicParams: true,
  maxDuration: undefined,
}
