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
import { dirname, join, sep } from 'node:path'
import fg from 'fast-glob'
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

/** The source files a route file may import, under the app directory. */
const SOURCE_FILES = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'
/** Route files: the loader judges each one itself as it loads it. */
const ROUTE_FILE_NAME = /[\\/]route\.[cm]?[jt]sx?$/
const USE_CACHE = Buffer.from('use cache')

/**
 * The files under `dir` (node_modules left out) that hold a `'use cache'` directive, sorted.
 * Asked only where the host imports files as written (tsx, or JavaScript route files), where a
 * helper module's directive would otherwise be ignored without a word.
 */
export async function filesWithDirective(dir: string): Promise<string[]> {
  // The synchronous walk, as the scan (tree/scan.ts): about half the CPU of the asynchronous one.
  const files = fg.sync(SOURCE_FILES, { cwd: dir, absolute: true, ignore: ['**/node_modules/**'], suppressErrors: true, followSymbolicLinks: false })
  const found: string[] = []
  for (const file of files) {
    // Read in one go (at start-up, ~4x less CPU than as many async reads) and searched as bytes:
    // only a file that holds the words is decoded and looked at closer.
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch {
      continue
    }
    if (bytes.includes(USE_CACHE) && hasUseCacheDirective(bytes.toString('utf8'))) found.push(file)
  }
  return found.sort()
}

/** JavaScript Node imports as it is, through jiti too (`.mjs`, `.cjs`, `.js` in a `"type": "module"` package): jiti never compiles it when imported. */
function importedAsIs(file: string): boolean {
  if (/\.[cm]js$/.test(file)) return true
  if (!file.endsWith('.js')) return false
  for (let dir = dirname(file); ; ) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown }).type === 'module'
    } catch {
      // no package.json here (or not JSON): look further up
    }
    const up = dirname(dir)
    if (up === dir) return false
    dir = up
  }
}

/** The production loader for one app directory: nothing to release, nothing to watch. */
export function createProductionLoader(dir: string): RouteLoader {
  let used: TransformCache | undefined
  /** Files of the app directory holding the directive: read once, on the first file the host would import itself. */
  let directives: Promise<{ all: Set<string>; helpers: string[] }> | undefined
  let refused = false
  const inDir = `${dir.replace(/[\\/]+$/, '')}${sep}`
  const notCompiled = (file: string, host: boolean, files: string[] = [file]) => routewareError('ROUTEWARE_USE_CACHE_NOT_COMPILED', { file, host }, { files })
  return {
    async load(file) {
      /** A JavaScript file jiti must compile though Node could import it: its directive, or its imports' (a .ts helper's). */
      let compile = false
      if (!JSX_FILE.test(file) && (!isTypeScript(file) || (await hostHandlesTypeScript()))) {
        // 'use cache' needs Routeware's compiler (use-cache.ts): a JavaScript file goes through it;
        // a TypeScript one the host compiles is refused, and so is a helper module with the
        // directive the host (or Node) would import as written. Files outside the app directory
        // (proxy.ts, instrumentation.ts) are judged alone.
        if (!file.startsWith(inDir)) {
          if (!hasUseCacheDirective(readSource(file))) return nativeImport(file)
          if (isTypeScript(file)) throw notCompiled(file, true)
        } else {
          directives ??= filesWithDirective(dir).then((all) => ({ all: new Set(all), helpers: all.filter((f) => !ROUTE_FILE_NAME.test(f)) }))
          const { all, helpers } = await directives
          const hostTs = isTypeScript(file) || (await hostHandlesTypeScript())
          if (all.has(file) && isTypeScript(file)) throw notCompiled(file, true)
          if (!all.has(file) && helpers.length === 0) return nativeImport(file)
          // A helper that will not be compiled: refused once (the start-up fails), naming it.
          const lost = hostTs ? helpers[0] : helpers.find(importedAsIs)
          if (lost !== undefined) {
            if (refused) return nativeImport(file)
            refused = true
            throw notCompiled(lost, hostTs, [lost, file])
          }
          // Plain Node, a JavaScript route file: compiled, with the TypeScript modules it imports.
          compile = true
        }
      }
      let entry = productionJitis.get(dir)
      if (!entry) {
        const cache = createTransformCache(dir)
        productionJitis.set(dir, (entry = { jiti: jitiFor(dir, cache.transform, false), cache }))
      }
      used = entry.cache
      const jiti = await entry.jiti
      // jiti imports JavaScript Node can import as it is (an ES module) natively: compiling it needs `forceTranspile`.
      const loading = compile ? (jiti.evalModule(readSource(file), { filename: file, async: true, forceTranspile: true }) as Promise<Exports>) : (jiti.import(file, ROUTE_FILE) as Promise<Exports>)
      return await loading.catch((error: unknown) => Promise.reject(jsxRuntimeMissing(file, error)))
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
        // A JavaScript ES module jiti would import natively: compiled when it holds 'use cache'.
        const source = !isTypeScript(file) && !JSX_FILE.test(file) && importedAsIs(file) ? readSource(file) : undefined
        const compile = source !== undefined && hasUseCacheDirective(source)
        const loading = compile ? (ready.evalModule(source, { filename: file, async: true, forceTranspile: true }) as Promise<Exports>) : (ready.import(file, ROUTE_FILE) as Promise<Exports>)
        return await loading.catch((error: unknown) => Promise.reject(jsxRuntimeMissing(file, error)))
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
