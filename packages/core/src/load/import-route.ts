/**
 * Load route files. JavaScript: plain `import()`. TypeScript: plain `import()` where the host
 * process compiles TypeScript in full (tsx, a Vite-based runner), so a module the host and a route
 * file both import is one instance; jiti everywhere else (plain Node 20, Node 22/24/26 type
 * stripping), with a native transform (`transform.ts`) in place of jiti's Babel. In dev,
 * everything goes through a fresh jiti so old copies can be released.
 */
import { readFileSync } from 'node:fs'
import { routewareError } from '../errors.js'
import { hasUseCacheDirective } from './use-cache.js'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { JSX_FILE, nativeTransformAvailable, transformForJiti } from './transform.js'
import { createTransformCache, type TransformCache } from './transform-cache.js'

type Jiti = ReturnType<typeof import('jiti').createJiti>

/** jiti, imported when the first file needs it: importing the package does not load it (nor Node's `assert`, which it loads). */
let jitiModule: Promise<typeof import('jiti')> | undefined
const loadJiti = () => (jitiModule ??= import('jiti'))

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
  /** Every route file of the tree has been loaded (or failed): a time to write caches. */
  settled(): void
}

type Exports = Record<string, unknown>

const isTypeScript = (file: string) => /\.[cm]?ts$/.test(file)
/** JSX files always go through jiti and `transformForJiti`: Routeware picks their JSX runtime, whatever the host compiles. */
const viaJiti = (file: string) => JSX_FILE.test(file) || isTypeScript(file)

/** A JSX file whose runtime cannot be found: the error names the file and the package to add. */
function jsxRuntimeMissing(file: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : ''
  const match = /['"]((?:@[^/'"]+\/)?[^/'"]+)\/jsx-(?:dev-)?runtime['"]/.exec(message)
  if (!JSX_FILE.test(file) || !match) return error
  return routewareError('ROUTEWARE_JSX_RUNTIME_MISSING', { file, source: match[1]! }, { files: [file], cause: error })
}
/**
 * A route file's text, for the `'use cache'` check before a native import. Read synchronously: one
 * call into Node's native `readFileUtf8` per file, about 10 µs of the main thread for a small file,
 * where `fs/promises` `readFile` costs 60-90 µs (a FileHandle, then open, fstat, read and close, each
 * a promise through the thread pool): 0.1 s instead of 0.7 s over 10,000 files. Node's own loader
 * reads the module synchronously too, just after.
 */
const readSource = (file: string) => readFileSync(file, 'utf8')
const nativeImport = (file: string) => import(pathToFileURL(file).href) as Promise<Exports>

/**
 * A route file is imported by its absolute path, which `paths` can never map: tell jiti not to try
 * (its resolver's option). With a `baseUrl` in tsconfig.json, jiti would first look for
 * `<baseUrl>/<absolute path>` under every extension, ~9 ms of failed lookups per route file.
 */
const ROUTE_FILE = { skipTsConfigPaths: true } as Parameters<Jiti['import']>[1]

/**
 * jiti for one app directory: `paths` come from the tsconfig.json found walking up from it; files
 * go through `transformForJiti` (production: through its on-disk cache; dev transforms afresh,
 * ~0.2 ms a file) instead of jiti's Babel and jiti's file-per-module cache. Where oxc-transform's
 * binary is missing, jiti's own pipeline as before (Babel, ~3 ms a file).
 */
async function jitiFor(dir: string, transform: TransformCache['transform'], dev: boolean): Promise<Jiti> {
  const { createJiti } = await loadJiti()
  const options = { moduleCache: true, interopDefault: false, tsconfigPaths: true }
  if (!nativeTransformAvailable()) return createJiti(join(dir, '_index.js'), { ...options, ...(dev ? { fsCache: false } : {}) })
  return createJiti(join(dir, '_index.js'), { ...options, transform, fsCache: false, extensions: JITI_EXTENSIONS })
}

/** jiti's default extensions and `.jsx`, which it otherwise hands to Node (our transform compiles JSX). */
const JITI_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.mtsx', '.ctsx', '.jsx']

let hostCompilesTs: Promise<boolean> | undefined
/** Whether plain `import()` of TypeScript works in full here: asked once, of a probe file. */
export function hostHandlesTypeScript(): Promise<boolean> {
  hostCompilesTs ??= probeHost()
  return hostCompilesTs
}

/** Set where a Vite module runner evaluates this file (its module wrapper's parameter). */
declare const __vite_ssr_import_meta__: unknown

async function probeHost(): Promise<boolean> {
  // The probe imports `./ts-host-dep` without an extension. Where Node's resolver leaves that as
  // written (no host hook adds `.ts`), importing the probe can only fail: answer without it, for on
  // Node 22.18+ it would start Node's type stripper for nothing (0.1-0.2 s of a cold start). A
  // Vite runner resolves in `import()` what its `import.meta.resolve` leaves: ask the probe there.
  const dep = new URL('../../probe/ts-host-dep', import.meta.url).href
  try {
    if (typeof __vite_ssr_import_meta__ === 'undefined' && import.meta.resolve(dep) === dep) return false
  } catch {
    // no `import.meta.resolve` here, or a hook refused: ask the probe
  }
  return import(new URL('../../probe/ts-host.ts', import.meta.url).href).then(
    (probe: { three?: unknown }) => probe.three === 3,
    () => false,
  )
}

const productionJitis = new Map<string, { jiti: Promise<Jiti>; cache: TransformCache }>()

/** The production loader for one app directory: nothing to release, nothing to watch. */
export function createProductionLoader(dir: string): RouteLoader {
  let used: TransformCache | undefined
  return {
    async load(file) {
      if (!JSX_FILE.test(file) && (!isTypeScript(file) || (await hostHandlesTypeScript()))) {
        // 'use cache' needs Routeware's compiler (use-cache.ts): a JavaScript file goes through it; a TypeScript one the host compiles is refused.
        if (hasUseCacheDirective(readSource(file))) {
          if (isTypeScript(file)) throw routewareError('ROUTEWARE_USE_CACHE_NOT_COMPILED', { file }, { files: [file] })
        } else return nativeImport(file)
      }
      let entry = productionJitis.get(dir)
      if (!entry) {
        const cache = createTransformCache(dir)
        productionJitis.set(dir, (entry = { jiti: jitiFor(dir, cache.transform, false), cache }))
      }
      used = entry.cache
      return (await (await entry.jiti).import(file, ROUTE_FILE).catch((error: unknown) => Promise.reject(jsxRuntimeMissing(file, error)))) as Exports
    },
    concurrent: (file) => !viaJiti(file),
    loadedFiles: () => [],
    release() {},
    settled: () => used?.flush(),
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
  let jiti: Promise<Jiti> | undefined
  const files = new Set<string>()
  return {
    async load(file) {
      jiti ??= jitiFor(dir, transformForJiti, true)
      const ready = await jiti
      const before = new Set(Object.keys(requireCache))
      try {
        return (await ready.import(file, ROUTE_FILE).catch((error: unknown) => Promise.reject(jsxRuntimeMissing(file, error)))) as Exports
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
    settled() {},
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
