/** Load route files: plain `import()` for JavaScript, jiti for TypeScript; in dev, everything through a fresh jiti. */
import { createJiti } from 'jiti'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

type Jiti = ReturnType<typeof createJiti>

/**
 * Node 20 cannot import `.ts`, and Node 22/24 type stripping refuses enums, extensionless
 * relative imports and `paths` aliases that real Next.js route files use. jiti transpiles
 * them in-process without touching global loaders, shares one module cache (one instance of a
 * module imported by several routes) and loads packages from node_modules natively, so
 * `@routeware/core` stays a single copy.
 */
export interface RouteLoader {
  load(file: string): Promise<Record<string, unknown>>
  /** Files this loader evaluated (route files and the app modules they import), for the dev watcher. */
  loadedFiles(): string[]
  /** Forget every app module it loaded, so the next loader evaluates fresh copies (dev reload). */
  release(): void
}

let shared: Jiti | undefined

/** The production loader: one jiti for the process, native `import()` for JavaScript. */
export const productionLoader: RouteLoader = {
  async load(file) {
    if (/\.[cm]?ts$/.test(file)) {
      shared ??= createJiti(import.meta.url, { moduleCache: true, interopDefault: false })
      return (await shared.import(file)) as Record<string, unknown>
    }
    // pathToFileURL: a Windows path would otherwise read as an unknown URL scheme.
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>
  },
  loadedFiles: () => [],
  release() {},
}

/** Load one route file the production way. */
export function importRoute(file: string): Promise<Record<string, unknown>> {
  return productionLoader.load(file)
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
export function createDevLoader(): RouteLoader {
  const jiti = createJiti(import.meta.url, { moduleCache: true, interopDefault: false, fsCache: false })
  const files = new Set<string>()
  return {
    async load(file) {
      const before = new Set(Object.keys(requireCache))
      try {
        return (await jiti.import(file)) as Record<string, unknown>
      } finally {
        files.add(file)
        for (const key of Object.keys(requireCache)) {
          if (!before.has(key) && isAppModule(key)) devModules.add(key)
        }
        for (const key of devModules) if (requireCache[key]) files.add(key)
      }
    },
    loadedFiles: () => [...files],
    release() {
      for (const key of devModules) delete requireCache[key]
      devModules.clear()
    },
  }
}
