/**
 * Serving a cacheable GET (NEXT-BEHAVIOUR G): HIT from the store; STALE served at once while one
 * regeneration runs in the background; MISS generated now, with concurrent requests sharing the
 * one generation. A run that reads a dynamic input is not stored, and the route turns dynamic.
 */
import type { Logger } from '../options.js'
import { runHandler, type LoadedRoute, type RunInput } from '../run-route.js'
import type { DynamicTracker } from '../web/next-request.js'
import { isStreamBody, type Outgoing, type StreamBody } from '../web/outgoing.js'
import { dynamicErrorTracker, fixedOriginSource, recordingTracker, staticSource } from './cached-request.js'
import { canonicalPath, toCacheKey } from './cache-key.js'
import { cacheControl } from './segment-config.js'
import type { CacheEntry, CacheStore } from './store.js'

/** What a router shares between requests for caching. */
export interface RouteCache {
  store: CacheStore
  /** Generations under way, by key: one per key, whoever asks. */
  inflight: Map<string, Promise<CacheEntry | undefined>>
  logger: Logger
  /** What `revalidatePath()` calls reach. */
  control: CacheControl
}

/** The part of the cache a handler can reach through `@routeware/core/cache`. */
export interface CacheControl {
  /** `path` is below `prefix`, the concrete mount prefix of the request that calls it. */
  revalidatePath(path: string, type: 'page' | 'layout' | undefined, prefix: string): Promise<void>
}

/** A year: how long an entry may live in the store, as Next's default `expireTime`. */
const EXPIRE = 31536000

/** Create a router's cache over `store`. */
export function createRouteCache(store: CacheStore, logger: Logger): RouteCache {
  const cache: RouteCache = {
    store,
    inflight: new Map(),
    logger,
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
export async function serveCached(input: RunInput, headOnly: boolean): Promise<Outgoing> {
  const { route, cache } = input
  if (route.listed && !route.policy.dynamicParams && !route.listed.has(canonicalPath(input.path))) return { status: 404, statusText: '', headers: [], body: null }
  const key = toCacheKey(input.source.basePath, input.path)
  let entry: CacheEntry | undefined
  try {
    entry = await cache.store.get(key)
  } catch (error) {
    cache.logger.error(`The cache store failed to read ${key}; serving uncached:`, error)
    return generate(input, key, headOnly, false)
  }
  if (entry) {
    const fresh = entry.revalidate === false || Date.now() - entry.createdAt < entry.revalidate * 1000
    if (!fresh && !cache.inflight.has(key)) regenerateInBackground(input, key)
    return fromEntry(entry, fresh ? 'HIT' : 'STALE', headOnly)
  }
  const pending = cache.inflight.get(key)
  if (pending) {
    const shared = await pending
    if (shared) return fromEntry(shared, 'MISS', headOnly)
  }
  return generate(input, key, headOnly, true)
}

/** Replay an entry: status, headers (Set-Cookie included) and bytes, plus the cache headers. */
function fromEntry(entry: CacheEntry, state: 'HIT' | 'STALE' | 'MISS', headOnly: boolean): Outgoing {
  return { status: entry.status, statusText: '', headers: [...entry.headers, ['x-routeware-cache', state]], body: headOnly ? null : entry.body }
}

/** The cache headers a stored response carries: Next's Cache-Control unless the handler set one. */
function withCacheHeaders(headers: Outgoing['headers'], revalidate: number | false): Outgoing['headers'] {
  return headers.some(([name]) => name === 'cache-control') ? headers : [...headers, ['cache-control', cacheControl(revalidate)]]
}

/** Run the handler for the cache; store what it answers unless it read a dynamic input. */
async function generate(input: RunInput, key: string, headOnly: boolean, store: boolean): Promise<Outgoing> {
  const { route, cache } = input
  let dynamicUse: string | undefined
  let settle!: (entry: CacheEntry | undefined) => void
  if (store) cache.inflight.set(key, new Promise((resolve) => (settle = resolve)))
  const finish = (entry: CacheEntry | undefined) => {
    if (!store) return
    cache.inflight.delete(key)
    settle(entry)
  }
  let out: Outgoing
  try {
    const { policy } = route
    // force-static reads nothing dynamic (the request is stripped); 'error' throws on a read, on a
    // fixed origin; 'auto' records it.
    const source = policy.forceStatic ? staticSource(input.source) : policy.dynamicError ? fixedOriginSource(input.source) : input.source
    let tracker: DynamicTracker | undefined
    if (policy.dynamicError) tracker = dynamicErrorTracker(route)
    else if (!policy.forceStatic) tracker = recordingTracker(source, (what) => (dynamicUse ??= what))
    out = await runHandler(input, route.exports.handlers.GET!, false, source, tracker)
  } catch (error) {
    finish(undefined)
    throw error
  }
  if (dynamicUse !== undefined) {
    route.policy.cacheable = false
    cache.logger.info(`Route ${route.definition.path} (${route.definition.file}) read \`${dynamicUse}\`: it is dynamic from now on and is not cached.`)
    finish(undefined)
    return headOnly ? dropBody(out) : out
  }
  if (!store || (out.status >= 400 && out.status !== 404)) {
    finish(undefined)
    return headOnly ? dropBody(out) : out
  }
  if (isForOneClient(out.headers)) {
    // Served to its caller as generated, without Next's Cache-Control: no shared cache may keep it either.
    finish(undefined)
    const served: Outgoing = { ...out, headers: [...out.headers, ['x-routeware-cache', 'MISS']] }
    return headOnly ? dropBody(served) : served
  }
  const revalidate = route.policy.revalidate
  const headers = withCacheHeaders(out.headers, revalidate)
  const save = (body: Uint8Array | undefined): CacheEntry | undefined => {
    if (body === undefined || body.byteLength > cache.store.maxEntryBytes) return undefined
    // A Buffer view (no copy): hosts take Buffers on their fastest path when the entry is replayed.
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    const entry: CacheEntry = { status: out.status, headers, body: bytes, createdAt: Date.now(), revalidate }
    Promise.resolve()
      .then(() => cache.store.set(key, entry, EXPIRE))
      .catch((error: unknown) => cache.logger.error(`The cache store failed to write ${key}; the response was served uncached:`, error))
    return entry
  }
  const served: Outgoing = { status: out.status, statusText: out.statusText, headers: [...headers, ['x-routeware-cache', 'MISS']], body: out.body }
  if (!isStreamBody(out.body)) {
    finish(save(out.body === null ? new Uint8Array(0) : typeof out.body === 'string' ? Buffer.from(out.body) : out.body))
    return headOnly ? dropBody(served) : served
  }
  if (headOnly) {
    finish(await drain(out.body, cache.store.maxEntryBytes).then(save))
    return dropBody(served)
  }
  // A stream is cached once fully read; the client gets each chunk as it comes.
  served.body = collecting(out.body, cache.store.maxEntryBytes, (body) => finish(save(body)))
  return served
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

/** Pass chunks through while keeping a copy up to `limit` bytes; `done` gets the bytes, or undefined past the limit or on error. */
function collecting(body: StreamBody, limit: number, done: (bytes: Uint8Array | undefined) => void): StreamBody {
  let chunks: Uint8Array[] | undefined = []
  let size = 0
  let finished = false
  const end = (bytes: Uint8Array | undefined) => {
    if (finished) return
    finished = true
    done(bytes)
  }
  return {
    async next() {
      let chunk: Uint8Array | undefined
      try {
        chunk = await body.next()
      } catch (error) {
        end(undefined)
        throw error
      }
      if (chunk === undefined) {
        end(chunks ? Buffer.concat(chunks, size) : undefined)
        return undefined
      }
      if (chunks) {
        size += chunk.byteLength
        if (size > limit) chunks = undefined
        else chunks.push(chunk)
      }
      return chunk
    },
    cancel(reason) {
      end(undefined)
      body.cancel(reason)
    },
  }
}

async function drain(body: StreamBody, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (let chunk = await body.next(); chunk !== undefined; chunk = await body.next()) {
      size += chunk.byteLength
      if (size > limit) {
        body.cancel()
        return undefined
      }
      chunks.push(chunk)
    }
  } catch {
    return undefined
  }
  return Buffer.concat(chunks, size)
}

/** One background regeneration per key; an error keeps the stale entry (and is logged by the run). */
function regenerateInBackground(input: RunInput, key: string): void {
  generate(input, key, false, true)
    .then((out) => (isStreamBody(out.body) ? drain(out.body, Infinity) : undefined))
    .catch((error: unknown) => input.cache.logger.error(`Regenerating ${input.route.definition.path} failed; the stale entry is kept:`, error))
}
