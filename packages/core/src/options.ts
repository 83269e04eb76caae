/** Routeware's options: defaults and validation, done once when `routes()` / `register` runs. */
import { randomBytes } from 'node:crypto'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invalidOption } from './errors.js'
import type { CacheStore } from './cache/store.js'

/** Anything with `error`/`warn`/`info` (console, pino, winston, Fastify's `request.log`). */
export interface Logger {
  error(...args: unknown[]): void
  warn(...args: unknown[]): void
  info(...args: unknown[]): void
}

/** `(error, request) => Response | void`: answer a handler's error yourself, or fall back to 500. */
export type ErrorHandler = (error: unknown, request: Request) => Response | void | undefined | Promise<Response | void | undefined>

/** Options every entry point takes. */
export interface RoutesOptions {
  /** The app directory: absolute, a `file:` URL, or relative to the working directory. */
  dir: string | URL
  /** Largest request body a handler may read, in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** As Next: `false` redirects `/a/` to `/a`, `true` the reverse. Default `false`. */
  trailingSlash?: boolean
  /** Development mode: error bodies carry the stack. Default `NODE_ENV === 'development'`. */
  dev?: boolean
  /** Answer a handler's error; return nothing to fall back to the default 500. */
  onError?: ErrorHandler | 'next'
  /** Where Routeware logs (Express; Fastify uses its own logger). Default `console`. */
  logger?: Logger
  /** Where cached GET responses live. Default: an in-memory LRU store per `routes()` call. */
  cache?: CacheStore
  /**
   * The id `draftMode()` cookies carry (`__prerender_bypass`). Default: a random 32-hex id per
   * process; set one, shared, when several instances serve one app.
   */
  previewModeId?: string
  /** `instrumentation.*` to load: a path, or `false` for none. Default: the one beside `dir`. */
  instrumentation?: string | URL | false
  /** `proxy.*` (or the deprecated `middleware.*`) to run before route matching: a path, or `false` for none. Default: the one beside `dir`. */
  proxy?: string | URL | false
  /** How long `close()` waits for requests in flight and `after()` tasks, in milliseconds. Default 10 000. */
  shutdownTimeout?: number
  /**
   * Express and Fastify: log the served routes once loaded, through the host's logger (`info`): the
   * route table in dev, one line with the count otherwise. `false`: say nothing. Default `true`.
   */
  logRoutes?: boolean
}

/** Options with every default filled in. */
export interface ResolvedRoutesOptions {
  dir: string
  bodyLimit: number
  trailingSlash: boolean
  dev: boolean
  onError: ErrorHandler | 'next' | undefined
  logger: Logger
  cache: CacheStore | undefined
  previewModeId: string
  /** An absolute path, `false`, or `undefined`: look beside `dir`. */
  instrumentation: string | false | undefined
  /** An absolute path, `false`, or `undefined`: look beside `dir`. */
  proxy: string | false | undefined
  shutdownTimeout: number
  logRoutes: boolean
}

/** Letters, digits and `-._~`: kept as they are by the cookie's percent-encoding; 16 or more, as it is a secret. */
const PREVIEW_MODE_ID = /^[A-Za-z0-9._~-]{16,}$/
let processPreviewModeId: string | undefined

/** Fill defaults and check every option; throws `ROUTEWARE_INVALID_OPTION` saying how to fix it. */
export function resolveOptions(input: RoutesOptions | string | URL, { allowNext = false } = {}): ResolvedRoutesOptions {
  const options: RoutesOptions = typeof input === 'string' || input instanceof URL ? { dir: input } : input
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object such as { dir: "./app" }')
  const resolvedDir = resolveDir(options.dir)
  const bodyLimit = options.bodyLimit ?? 1024 * 1024
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) throw invalidOption('bodyLimit', 'a non-negative whole number of bytes', options.bodyLimit)
  const trailingSlash = options.trailingSlash ?? false
  if (typeof trailingSlash !== 'boolean') throw invalidOption('trailingSlash', 'true or false', trailingSlash)
  const dev = options.dev ?? process.env.NODE_ENV === 'development'
  if (typeof dev !== 'boolean') throw invalidOption('dev', 'true or false', dev)
  const { onError } = options
  if (onError !== undefined && typeof onError !== 'function' && !(onError === 'next' && allowNext)) {
    throw invalidOption('onError', allowNext ? "a function or 'next'" : 'a function (`(error, request) => Response | void`)', onError)
  }
  const logger = options.logger ?? console
  if (typeof logger?.error !== 'function' || typeof logger.warn !== 'function' || typeof logger.info !== 'function') {
    throw invalidOption('logger', 'an object with error, warn and info methods (console, pino and winston are)')
  }
  const { cache } = options
  if (cache !== undefined && (typeof cache?.get !== 'function' || typeof cache.set !== 'function' || typeof cache.getTags !== 'function' || typeof cache.revalidateTags !== 'function')) {
    throw invalidOption('cache', 'a CacheStore (get, set, getTags, revalidateTags, maxEntryBytes): createMemoryStore() or createRedisStore()')
  }
  const { previewModeId = (processPreviewModeId ??= randomBytes(16).toString('hex')) } = options
  if (typeof previewModeId !== 'string' || !PREVIEW_MODE_ID.test(previewModeId)) {
    // The id is a secret: a string that does not fit is never echoed in the message.
    const rule = "a string of at least 16 letters, digits, '-', '_', '.' or '~', the same on every instance (e.g. crypto.randomBytes(16).toString('hex'))"
    throw invalidOption('previewModeId', rule, typeof previewModeId === 'string' ? undefined : previewModeId)
  }
  const instrumentation = resolveFileOption('instrumentation', options.instrumentation)
  const proxy = resolveFileOption('proxy', options.proxy)
  const shutdownTimeout = options.shutdownTimeout ?? 10_000
  if (typeof shutdownTimeout !== 'number' || !(shutdownTimeout >= 0) || shutdownTimeout > MAX_TIMEOUT) {
    throw invalidOption('shutdownTimeout', 'a number of milliseconds, 0 or more (0: close without waiting)', options.shutdownTimeout)
  }
  const logRoutes = options.logRoutes ?? true
  if (typeof logRoutes !== 'boolean') throw invalidOption('logRoutes', 'true or false', logRoutes)
  return { dir: resolvedDir, bodyLimit, trailingSlash, dev, onError, logger, cache, previewModeId, instrumentation, proxy, shutdownTimeout, logRoutes }
}

/** The app directory as an absolute path: from an absolute path, a `file:` URL, or a path relative to the working directory. */
export function resolveDir(dir: unknown): string {
  if (dir instanceof URL || (typeof dir === 'string' && dir.startsWith('file:'))) return fileURLToPath(dir)
  if (typeof dir === 'string' && dir !== '') return isAbsolute(dir) ? dir : resolve(process.cwd(), dir)
  throw invalidOption('dir', 'the app directory: the `dir` option is required, e.g. routes({ dir: "./app" })')
}

/** The longest delay `setTimeout` keeps (about 24.8 days). */
const MAX_TIMEOUT = 2 ** 31 - 1

/** `instrumentation` / `proxy`: `false`, or a file path made absolute. */
function resolveFileOption(option: 'instrumentation' | 'proxy', value: string | URL | false | undefined): string | false | undefined {
  if (value === undefined || value === false) return value
  if (value instanceof URL || (typeof value === 'string' && value.startsWith('file:'))) return fileURLToPath(value)
  if (typeof value === 'string' && value !== '') return isAbsolute(value) ? value : resolve(process.cwd(), value)
  throw invalidOption(option, `false, or the path of your ${option} file (absolute, a file: URL, or relative to the working directory)`, value)
}
