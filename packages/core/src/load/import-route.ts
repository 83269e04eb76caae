/**
 * Load route files. JavaScript: plain `import()`. TypeScript: plain `import()` where the host
 * process compiles TypeScript in full (tsx, a Vite-based runner), so a module the host and a route
 * file both import is one instance; jiti everywhere else (plain Node 20, Node 22/24 type
 * stripping). In dev, everything goes through a fresh jiti so old copies can be released.
 */
import { createJiti } from 'jiti'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

type Jiti = ReturnType<typeof createJiti>

/**
 * Node 20 cannot import `.ts`, and Node 22/24 type stripping refuses enums, extensionless
 * relative imports and `paths` aliases that real Next.js route files use. jiti transpiles
 * them in-process without touching global loaders, reads `paths` from the `tsconfig.json`
 * nearest the app directory, shares one module cache (one instance of a module imported by
 * several routes) and loads packages from node_modules natively, so `@routeware/core` stays a
 * single copy.
 */
export interface RouteLoader {
  load(file: string): Promise<Record<string, unknown>>
  /** Whether `file` may load while others load (a native import); otherwise one at a time. */
  concurrent(file: string): boolean
  /** Files this loader evaluated (route files and the app modules they import), for the dev watcher. */
  loadedFiles(): string[]
  /** Forget every app module it loaded, so the next loader evaluates fresh copies (dev reload). */
  release(): void
}

type Exports = Record<string, unknown>

const isTypeScript = (file: string) => /\.[cm]?ts$/.test(file)
const nativeImport = (file: string) => import(pathToFileURL(file).href) as Promise<Exports>

/** jiti for one app directory: `paths` come from the tsconfig.json found walking up from it. */
function jitiFor(dir: string, dev: boolean): Jiti {
  return createJiti(join(dir, '_index.js'), {
    moduleCache: true,
    interopDefault: false,
    tsconfigPaths: true,
    ...(dev ? { fsCache: false } : {}),
  })
}

let hostCompilesTs: Promise<boolean> | undefined
/** Whether plain `import()` of TypeScript works in full here: asked once, of a probe file. */
export function hostHandlesTypeScript(): Promise<boolean> {
  hostCompilesTs ??= import(new URL('../../probe/ts-host.ts', import.meta.url).href).then(
    (probe: { three?: unknown }) => probe.three === 3,
    () => false,
  )
  return hostCompilesTs
}

const productionJitis = new Map<string, Jiti>()

/** The production loader for one app directory: nothing to release, nothing to watch. */
export function createProductionLoader(dir: string): RouteLoader {
  return {
    async load(file) {
      if (!isTypeScript(file) || (await hostHandlesTypeScript())) return nativeImport(file)
      let jiti = productionJitis.get(dir)
      if (!jiti) productionJitis.set(dir, (jiti = jitiFor(dir, false)))
      return (await jiti.import(file)) as Exports
    },
    concurrent: (file) => !isTypeScript(file),
    loadedFiles: () => [],
    release() {},
  }
}

const requireCache = createRequire(import.meta.url).cache
/** Every app module a dev loader put in the CommonJS cache, across routers (they share that cache). */
const devModules = new Set<string>()
const isAppModule = (key: string) => !key.includes('/node_modules/') && !key.includes('\\node_modules\\')

/**
 * The dev loader: JavaScript goes through jiti too, so every app module lands in the CommonJS
 * cache, which (unlike the ESM cache) can be emptied: `release()` drops those entries and the old
 * module instances become garbage, so memory stays flat across hundreds of reloads. Entries are
 * tracked process-wide, so two routers watching the same files never keep each other's stale copy.
 */
export function createDevLoader(dir: string): RouteLoader {
  const jiti = jitiFor(dir, true)
  const files = new Set<string>()
  return {
    async load(file) {
      const before = new Set(Object.keys(requireCache))
      try {
        return (await jiti.import(file)) as Exports
      } finally {
        files.add(file)
        for (const key of Object.keys(requireCache)) {
          if (!before.has(key) && isAppModule(key)) devModules.add(key)
        }
        for (const key of devModules) if (requireCache[key]) files.add(key)
      }
    },
    concurrent: () => false,
    loadedFiles: () => [...files],
    release() {
      for (const key of devModules) delete requireCache[key]
      devModules.clear()
    },
  }
}

/** Native imports in flight at once: about twice as fast as one by one over 10,000 files. */
const IMPORT_CONCURRENCY = 32

/**
 * Start loading every route file; `loads(i)` is the i-th file's exports. Files the loader imports
 * natively go `IMPORT_CONCURRENCY` at a time (Node's module cache evaluates a shared module once);
 * the others one at a time, in order, when asked for: concurrent jiti imports of files sharing a
 * module would evaluate it twice.
 */
export function startLoads(definitions: readonly { file: string }[], loader: RouteLoader): (index: number) => Promise<Record<string, unknown>> {
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
