/**
 * Serving a cacheable GET, as Next's app-route module and incremental cache do
 * (packages/next/src/server/route-modules/app-route/module.ts): HIT from the store; STALE served at once while one
 * regeneration runs in the background, on a request of Routeware's own; MISS generated now, with
 * concurrent requests sharing the one generation for a bounded time. A run that reads a dynamic
 * input, until its body was read in full, is not stored, and the route turns dynamic.
 */
import { routeState } from '../load/route-state.js'
import type { Logger } from '../options.js'
import type { LoadedRoute } from '../load/load-table.js'
import { runHandler, type RunInput } from '../pipeline/run.js'
import type { CacheControl } from '../scope/request-scope.js'
import { HostError, isStreamBody, type Outgoing } from '../seam.js'
import type { DynamicTracker } from '../web/next-request.js'
import { dynamicErrorTracker, fixedOriginSource, GeneratedSource, recordingTracker, staticSource } from './cached-request.js'
import { canonicalPath, toCacheKey } from './cache-key.js'
import { fillEntry } from './stream-fill.js'
import { cacheControl } from './segment-config.js'
import type { CacheEntry, CacheStore } from './store.js'

/** What a router shares between requests for caching. */
export interface RouteCache {
  store: CacheStore
  /** Generations under way, by key: one per key, whoever asks. */
  inflight: Map<string, Generation>
  logger: Logger
  /** What `revalidatePath()` calls reach. */
  control: CacheControl
  /** How long requests wait for a generation under way before they run the handler themselves, in ms. */
  waitMs: number
}

/** One generation under way: its entry (or `undefined`: nothing stored), and when it started. */
interface Generation {
  entry: Promise<CacheEntry | undefined>
  started: number
}

/** Options of `createRouteCache`. */
export interface RouteCacheOptions {
  /** Default 5 s: a generation that takes longer (a stalled producer) no longer holds other requests. */
  waitMs?: number
}

/** A run whose GET may be served from the router's cache. */
export interface CachedRunInput extends RunInput {
  cache: RouteCache
}

/** A year: how long an entry may live in the store, as Next's default `expireTime`. */
const EXPIRE = 31536000

/** Create a router's cache over `store`. */
export function createRouteCache(store: CacheStore, logger: Logger, options: RouteCacheOptions = {}): RouteCache {
  const cache: RouteCache = {
    store,
    inflight: new Map(),
    logger,
    waitMs: options.waitMs ?? 5000,
    control: {
      async revalidatePath(path, type, prefix) {
        const key = toCacheKey(prefix, normalizePath(path))
        try {
          await (type === 'layout' ? store.deletePrefix(key) : store.delete(key))
        } catch (error) {
          logger.error(`revalidatePath(${JSON.stringify(path)}) could not reach the cache store:`, error)
        }
      },
    },
  }
  return cache
}

/** `revalidatePath()`'s argument as a path: no query, no trailing slash. */
function normalizePath(path: string): string {
  const clean = path.split('?')[0]!.replace(/\/+$/, '')
  return clean === '' ? '/' : clean.startsWith('/') ? clean : `/${clean}`
}

/** Serve a cacheable GET or HEAD. */
export async function serveCached(input: CachedRunInput, headOnly: boolean): Promise<Outgoing | HostError> {
  const { route, cache } = input
  const key = toCacheKey(input.source.basePath, input.path)
  let entry: CacheEntry | undefined
  try {
    entry = await cache.store.get(key)
  } catch (error) {
    cache.logger.error(`The cache store failed to read ${key}; serving uncached:`, error)
    return generate(input, key, headOnly ? 'head' : 'body', false)
  }
  if (entry) {
    const fresh = entry.revalidate === false || Date.now() - entry.createdAt < entry.revalidate * 1000
    if (!fresh) {
      const running = cache.inflight.get(key)
      if (!running || Date.now() - running.started >= cache.waitMs) regenerateInBackground(input, key)
    }
    return fromEntry(entry, fresh ? 'HIT' : 'STALE', headOnly)
  }
  const running = cache.inflight.get(key)
  if (running) {
    const shared = await within(running.entry, running.started + cache.waitMs - Date.now())
    if (shared) return fromEntry(shared, 'MISS', headOnly)
    // Nothing stored, or the generation outlived the wait: run the handler. The first request here
    // stores for the others (taking a stalled generation's place); the rest answer on their own.
    const next = cache.inflight.get(key)
    return generate(input, key, headOnly ? 'head' : 'body', next === undefined || next === running)
  }
  return generate(input, key, headOnly ? 'head' : 'body', true)
}

/** `promise`'s value, or `undefined` once `ms` passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    void promise.then((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

/** Replay an entry: status, headers and bytes, plus the cache headers. */
function fromEntry(entry: CacheEntry, state: 'HIT' | 'STALE' | 'MISS', headOnly: boolean): Outgoing {
  return { status: entry.status, statusText: '', headers: [...entry.headers, ['x-routeware-cache', state]], body: headOnly ? null : entry.body }
}

/** The cache headers a stored response carries: Next's Cache-Control unless the handler set one. */
function withCacheHeaders(headers: Outgoing['headers'], revalidate: number | false): Outgoing['headers'] {
  return headers.some(([name]) => name === 'cache-control') ? headers : [...headers, ['cache-control', cacheControl(revalidate)]]
}

/** Who gets the generated response: a client (`body`), a HEAD client, or nobody (a background regeneration). */
type Recipient = 'body' | 'head' | 'none'

/**
 * Run the handler for the cache; store what it answers unless it read a dynamic input before its
 * body was read in full. With `store`, requests for the same key wait for this generation.
 */
async function generate(input: CachedRunInput, key: string, recipient: Recipient, store: boolean): Promise<Outgoing | HostError> {
  const { route, cache } = input
  const { policy } = route
  let generation: Generation | undefined
  let settle!: (entry: CacheEntry | undefined) => void
  if (store) {
    generation = { entry: new Promise((resolve) => (settle = resolve)), started: Date.now() }
    cache.inflight.set(key, generation)
  }
  const finish = (entry: CacheEntry | undefined) => {
    if (!generation) return
    if (cache.inflight.get(key) === generation) cache.inflight.delete(key)
    generation = undefined
    settle(entry)
  }
  // A background regeneration runs on a request of Routeware's own: whoever triggered it, the
  // handler sees none of their Host, headers, cookies or query.
  const requested = recipient === 'none' ? new GeneratedSource(key, canonicalPath(input.source.basePath)) : input.source
  // force-static reads nothing dynamic (the request is stripped); 'error' throws on a read, on a
  // fixed origin; 'auto' records it.
  const source = policy.forceStatic ? staticSource(requested) : policy.dynamicError ? fixedOriginSource(requested) : requested
  let dynamicUse: string | undefined
  let tracker: DynamicTracker | undefined
  if (policy.dynamicError) tracker = dynamicErrorTracker(route)
  else if (!policy.forceStatic) tracker = recordingTracker(source, (what) => (dynamicUse ??= what))
  const out = await runHandler(input, route.exports.handlers.GET!, false, source, tracker)
  if (out instanceof HostError) {
    finish(undefined)
    return out
  }
  const uncached = (served: Outgoing): Outgoing => {
    finish(undefined)
    return recipient === 'body' ? served : dropBody(served)
  }
  if (dynamicUse !== undefined) {
    turnDynamic(input, dynamicUse)
    return uncached(out)
  }
  if (!store || (out.status >= 400 && out.status !== 404)) return uncached(out)
  // Served to its caller as generated, without Next's Cache-Control: no shared cache may keep it either.
  if (isForOneClient(out.headers)) return uncached({ ...out, headers: [...out.headers, ['x-routeware-cache', 'MISS']] })
  const revalidate = policy.revalidate
  const headers = withCacheHeaders(out.headers, revalidate)
  const save = (body: Uint8Array | undefined): CacheEntry | undefined => {
    // A read inside the body stream (a `pull()`) counts as much as one before the handler returned.
    if (dynamicUse !== undefined) {
      turnDynamic(input, dynamicUse)
      return undefined
    }
    if (body === undefined || body.byteLength > cache.store.maxEntryBytes) return undefined
    // A Buffer view (no copy): hosts take Buffers on their fastest path when the entry is replayed.
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    const entry: CacheEntry = { status: out.status, headers, body: bytes, createdAt: Date.now(), revalidate }
    Promise.resolve()
      .then(() => cache.store.set(key, entry, EXPIRE))
      .catch((error: unknown) => cache.logger.error(`The cache store failed to write ${key}; the response was served uncached:`, error))
    return entry
  }
  const served: Outgoing = { status: out.status, statusText: out.statusText, headers: [...headers, ['x-routeware-cache', 'MISS']], body: null }
  if (!isStreamBody(out.body)) {
    finish(save(out.body === null ? new Uint8Array(0) : typeof out.body === 'string' ? Buffer.from(out.body) : out.body))
    if (recipient === 'body') served.body = out.body
    return served
  }
  // The entry fills from the generator at its own pace; the client, if any, reads the same chunks at its own.
  served.body = fillEntry(out.body, cache.store.maxEntryBytes, (body) => finish(save(body)), recipient === 'body') ?? null
  return served
}

function turnDynamic(input: CachedRunInput, what: string): void {
  const { route } = input
  const state = routeState(route)
  if (state.dynamic) return
  state.dynamic = true
  input.cache.logger.info(`Route ${route.definition.path} (${route.definition.file}) read \`${what}\`: it is dynamic from now on and is not cached.`)
}

/**
 * A response meant for one client: `Set-Cookie` (a session), `Vary` (chosen by request headers
 * the key does not hold) or `Cache-Control: private` / `no-store` (RFC 9111 §5.2.2.5, §5.2.2.7:
 * a shared cache must not store it). Next stores these; Routeware never does.
 */
function isForOneClient(headers: Outgoing['headers']): boolean {
  for (const [name, value] of headers) {
    if (name === 'set-cookie' || name === 'vary') return true
    if (name === 'cache-control' && /(?:^|,)\s*(?:private|no-store)\s*(?:[=,]|$)/i.test(value)) return true
  }
  return false
}

function dropBody(out: Outgoing): Outgoing {
  if (isStreamBody(out.body)) out.body.cancel()
  return { ...out, body: null }
}

/** One background regeneration per key; an error keeps the stale entry (and is logged by the run). */
function regenerateInBackground(input: CachedRunInput, key: string): void {
  const failed = (error: unknown) => input.cache.logger.error(`Regenerating ${input.route.definition.path} failed; the stale entry is kept:`, error)
  generate(input, key, 'none', true).then((out) => {
    if (out instanceof HostError) failed(out.error)
  }, failed)
}
