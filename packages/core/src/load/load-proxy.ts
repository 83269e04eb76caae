/**
 * `proxy.ts` (Next 16's name) or `middleware.ts` (the deprecated one): found in the folder that
 * holds the app directory, or where the `proxy` option says; loaded through the route files'
 * loader (TypeScript, dev reload); its function and `config.matcher` read once. Both names side
 * by side is Next's build error, word for word (packages/next/src/build/index.ts); the old name
 * prints Next's deprecation warning once.
 */
import { basename, dirname, join } from 'node:path'
import { invalidOption, routewareError, type RoutewareError } from '../errors.js'
import { isFile, reasonOf } from './beside-file.js'
import type { Logger } from '../options.js'
import type { RouteLoader } from './import-route.js'
import { compileMatchers, type CompiledMatcher } from './proxy-matcher.js'

/** Next's file extensions for `proxy` / `middleware`, in the order looked for. */
export const PROXY_EXTENSIONS = ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'] as const

/** The proxy function: `(request: NextRequest, event: NextFetchEvent)`. */
export type ProxyFunction = (request: never, event: never) => unknown

/** A loaded proxy file. */
export interface LoadedProxy {
  readonly file: string
  /** `/proxy` or `/middleware`: Next's page name (`NextFetchEvent.sourcePage`, `onRequestError`'s routePath). */
  readonly page: '/proxy' | '/middleware'
  readonly run: ProxyFunction
  /** `undefined`: no `config.matcher`, every path. */
  readonly matchers: readonly CompiledMatcher[] | undefined
}

/** What to look for: the app directory, and the option (`undefined`: beside the app directory). */
export interface ProxyOptions {
  readonly dir: string
  readonly proxy: string | false | undefined
  readonly logger: Logger
}

const DEPRECATED = 'The "middleware" file convention is deprecated. Please use "proxy" instead. Learn more: https://nextjs.org/docs/messages/middleware-to-proxy'
/** Files each logger was warned about: the warning is a start-up message, not one per dev reload. */
const warned = new WeakMap<Logger, Set<string>>()

/** The proxy file to load, or `undefined` when there is none (or `proxy: false`). */
export async function findProxy(options: ProxyOptions): Promise<string | undefined> {
  const { proxy } = options
  if (proxy === false) return undefined
  if (proxy !== undefined) {
    if (!(await isFile(proxy))) throw invalidOption('proxy', `false or the path of your proxy file: ${proxy} does not exist or is not a file`)
    return proxy
  }
  const folder = dirname(options.dir)
  const found = async (name: string) => {
    const files = await Promise.all(PROXY_EXTENSIONS.map(async (ext) => ((await isFile(join(folder, `${name}.${ext}`))) ? join(folder, `${name}.${ext}`) : undefined)))
    return files.filter((file) => file !== undefined)
  }
  const [proxies, middlewares] = await Promise.all([found('proxy'), found('middleware')])
  if (proxies.length > 0 && middlewares.length > 0) {
    const m = `./${basename(middlewares[0]!)}`
    const p = `./${basename(proxies[0]!)}`
    throw proxyError(
      proxies[0]!,
      `sits beside ${middlewares[0]}: Both middleware file "${m}" and proxy file "${p}" are detected. Please use "${p}" only. Learn more: https://nextjs.org/docs/messages/middleware-to-proxy`,
      `Keep ${p} (rename what ${m} does into it), or name the one to load with the \`proxy\` option.`,
      [...proxies, ...middlewares],
    )
  }
  const all = proxies.length > 0 ? proxies : middlewares
  if (all.length > 1) throw proxyError(all[0]!, `is one of ${all.length} beside the app directory: ${all.join(', ')}.`, 'Keep one, or name the one to load with the `proxy` option.', all)
  return all[0]
}

/**
 * Find and load the proxy file through `loader`. Rejects with `ROUTEWARE_PROXY_FAILED`, naming the
 * file, when it fails to import, exports no function or has a `config.matcher` Next would refuse.
 */
export async function loadProxy(options: ProxyOptions, loader: RouteLoader): Promise<LoadedProxy | undefined> {
  const file = await findProxy(options)
  if (file === undefined) return undefined
  const page = /^middleware\.[cm]?[jt]s$/.test(basename(file)) ? '/middleware' : '/proxy'
  if (page === '/middleware') {
    let files = warned.get(options.logger)
    if (files === undefined) warned.set(options.logger, (files = new Set()))
    if (!files.has(file)) {
      files.add(file)
      options.logger.warn(`${DEPRECATED} (${file})`)
    }
  }
  let mod: Record<string, unknown>
  try {
    mod = await loader.load(file)
  } catch (error) {
    throw proxyError(file, `failed to load: ${reasonOf(error)}.`, FIX, [file], error)
  }
  const name = page.slice(1)
  const run = [mod[name], mod.proxy, mod.middleware, mod.default].find((value) => typeof value === 'function') as ProxyFunction | undefined
  if (run === undefined) {
    throw proxyError(file, `must export a function, either as a default export or as a named "${name}" export.`, `Add \`export function ${name}(request) { ... }\` (or \`export default\`), or start without it: \`proxy: false\`.`, [file])
  }
  const config = mod.config as { matcher?: unknown } | undefined
  let matchers: CompiledMatcher[] | undefined
  if (config !== undefined && config !== null && typeof config === 'object' && config.matcher !== undefined) {
    try {
      matchers = compileMatchers(config.matcher)
    } catch (error) {
      throw proxyError(file, `has a \`config.matcher\` Next would refuse: ${reasonOf(error)}.`, 'Fix the matcher (path-to-regexp syntax: "/api/:path*", "/((?!_next/static).*)"), or leave `matcher` out to run for every path.', [file], error)
    }
  }
  return { file, page, run, matchers }
}

const FIX = 'Fix the error in that file, or start without it: `proxy: false`.'

function proxyError(file: string, problem: string, fix: string, files: readonly string[], cause?: unknown): RoutewareError {
  return routewareError('ROUTEWARE_PROXY_FAILED', { file, problem, fix }, cause === undefined ? { files } : { files, cause })
}
