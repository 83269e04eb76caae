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
import { HostError, isStreamBody, ONE_WRITE_MAX_BYTES, type Outgoing } from '../seam.js'
import type { DynamicTracker } from '../web/next-request.js'
import { dynamicErrorTracker, fixedOriginSource, GeneratedSource, recordingTracker, staticSource } from './cached-request.js'
import { canonicalPath, toCacheKey } from './cache-key.js'
import { fillEntry } from './stream-fill.js'
import { createCacheControl, storeClock, type CollectedTags } from './control.js'
import { cacheControl } from './segment-config.js'
import type { CacheEntry, CacheStore, ReleaseLock, TagState } from './store.js'
import { judgeEntry, softTags, YEAR, type EntryState } from './tags.js'

/** What a router shares between requests for caching. */
export interface RouteCache {
  store: CacheStore
  /** Generations under way, by key: one per key, whoever asks. */
  inflight: Map<string, Generation>
  logger: Logger
  /** What `revalidatePath()`, `revalidateTag()` and `unstable_cache()` reach. */
  control: CacheControl
  /** How long requests wait for a generation under way before they run the handler themselves, in ms. */
  waitMs: number
  /** The clock entries are stamped and judged by (the store's, when it has one). */
  clock: () => number
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

/** How often a request polls the store while another instance generates the entry it wants, in ms. */
const POLL_MS = 20

/** Create a router's cache over `store`. */
export function createRouteCache(store: CacheStore, logger: Logger, options: RouteCacheOptions = {}): RouteCache {
  return { store, inflight: new Map(), logger, waitMs: options.waitMs ?? 5000, control: createCacheControl(store, logger), clock: storeClock(store) }
}

/** A value or a promise of it, awaited only when it is a promise (the memory store's HIT stays synchronous). */
type Maybe<T> = T | Promise<T>
const isPromise = <T>(value: Maybe<T>): value is Promise<T> => typeof (value as { then?: unknown } | undefined)?.then === 'function'

/** The entry at `key` and what its tags make of it, or `undefined`; throws (or rejects) as the store does. */
function readEntry(store: CacheStore, key: string, clock: () => number): Maybe<{ entry: CacheEntry; state: EntryState } | undefined> {
  const got = store.get(key)
  return isPromise(got) ? got.then((entry) => judged(store, entry, clock)) : judged(store, got, clock)
}

function judged(store: CacheStore, entry: CacheEntry | undefined, clock: () => number): Maybe<{ entry: CacheEntry; state: EntryState } | undefined> {
  if (entry === undefined) return undefined
  const tags = entry.tags
  if (tags === undefined || tags.length === 0) return judgedWith(entry, NO_STATES, clock)
  const states = store.getTags(tags)
  return isPromise(states) ? states.then((s) => judgedWith(entry, s, clock)) : judgedWith(entry, states, clock)
}

const NO_STATES: ReadonlyArray<TagState | undefined> = []

/** An entry without a `revalidate` period and no tag ever revalidated is fresh whatever the time: no clock read then. */
function judgedWith(entry: CacheEntry, states: ReadonlyArray<TagState | undefined>, clock: () => number): { entry: CacheEntry; state: EntryState } {
  return { entry, state: entry.revalidate === false && states.length === 0 ? 'fresh' : judgeEntry(entry, states, clock()) }
}

/** Serve a cacheable GET or HEAD: synchronous for a HIT from a synchronous store. */
export function serveCached(input: CachedRunInput, headOnly: boolean): Outgoing | Promise<Outgoing | HostError> {
  const key = toCacheKey(input.source.basePath, input.path)
  let read: Maybe<{ entry: CacheEntry; state: EntryState } | undefined>
  try {
    read = readEntry(input.cache.store, key, input.cache.clock)
  } catch (error) {
    return unreadable(input, key, headOnly, error)
  }
  if (!isPromise(read) && read !== undefined && read.state === 'fresh') return fromEntry(read.entry, 'HIT', headOnly)
  return serveRead(input, key, headOnly, read)
}

/** A store that fails to read: logged, and the request answers uncached (never a 500). */
function unreadable(input: CachedRunInput, key: string, headOnly: boolean, error: unknown): Promise<Outgoing | HostError> {
  input.cache.logger.error(`The cache store failed to read ${key}; serving uncached:`, error)
  return generate(input, key, headOnly ? 'head' : 'body', false)
}

async function serveRead(input: CachedRunInput, key: string, headOnly: boolean, pending: Maybe<{ entry: CacheEntry; state: EntryState } | undefined>): Promise<Outgoing | HostError> {
  const { cache } = input
  let read: { entry: CacheEntry; state: EntryState } | undefined
  try {
    read = await pending
  } catch (error) {
    return unreadable(input, key, headOnly, error)
  }
  if (read !== undefined && read.state !== 'expired') {
    if (read.state === 'stale') {
      const running = cache.inflight.get(key)
      if (!running || Date.now() - running.started >= cache.waitMs) regenerateInBackground(input, key)
    }
    return fromEntry(read.entry, read.state === 'fresh' ? 'HIT' : 'STALE', headOnly)
  }
  const recipient = headOnly ? 'head' : 'body'
  const running = cache.inflight.get(key)
  if (running) {
    const shared = await within(running.entry, running.started + cache.waitMs - Date.now())
    if (shared) return fromEntry(shared, 'MISS', headOnly)
    // Nothing stored, or the generation outlived the wait: run the handler. The first request here
    // stores for the others (taking a stalled generation's place); the rest answer on their own.
    const next = cache.inflight.get(key)
    return generate(input, key, recipient, next === undefined || next === running)
  }
  if (!cache.store.lock) return generate(input, key, recipient, true)
  // A store shared by several instances: one of them generates, the others wait for its entry.
  const started = Date.now()
  for (;;) {
    let release: ReleaseLock | undefined
    try {
      release = await cache.store.lock(lockKey(key), cache.waitMs)
    } catch (error) {
      return unreadable(input, key, headOnly, error)
    }
    // Another request of this process may have started while this one waited.
    const local = cache.inflight.get(key)
    if (release && local) {
      void releaseQuietly(cache, release)
      const shared = await within(local.entry, local.started + cache.waitMs - Date.now())
      return shared ? fromEntry(shared, 'MISS', headOnly) : generate(input, key, recipient, false)
    }
    if (release) {
      // Taken after waiting: the holder before may have stored the entry just now.
      if (Date.now() > started) {
        try {
          const now = await readEntry(cache.store, key, cache.clock)
          if (now !== undefined && now.state !== 'expired') {
            void releaseQuietly(cache, release)
            return fromEntry(now.entry, 'MISS', headOnly)
          }
        } catch (error) {
          void releaseQuietly(cache, release)
          return unreadable(input, key, headOnly, error)
        }
      }
      return generate(input, key, recipient, true, release)
    }
    if (Date.now() - started >= cache.waitMs) return generate(input, key, recipient, true)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    try {
      const now = await readEntry(cache.store, key, cache.clock)
      if (now !== undefined && now.state !== 'expired') return fromEntry(now.entry, 'MISS', headOnly)
    } catch (error) {
      return unreadable(input, key, headOnly, error)
    }
  }
}

/** The store's lock name for generating `key`. */
const lockKey = (key: string) => `generate:${key}`

async function releaseQuietly(cache: RouteCache, release: ReleaseLock): Promise<void> {
  try {
    await release()
  } catch (error) {
    cache.logger.error('The cache store failed to release a regeneration lock (it expires on its own):', error)
  }
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

/** An entry's headers with `x-routeware-cache: HIT`, built on its first HIT (a store that keeps the entry object, as the memory store, replays them as they are). */
const kHitHeaders = Symbol('routeware.hitHeaders')

/** An entry's body as text that encodes back to the same bytes (`null`: none), built on its first replay. */
const kText = Symbol('routeware.entryText')

type ReplayedEntry = CacheEntry & { [kHitHeaders]?: Outgoing['headers']; [kText]?: string | null }

/** Replay an entry: status, headers and bytes, plus the cache headers. */
function fromEntry(entry: ReplayedEntry, state: 'HIT' | 'STALE' | 'MISS', headOnly: boolean): Outgoing {
  // Shared by every HIT of the entry: frozen, so a stage that tried to change it in place would throw instead of leaking into other responses.
  const headers: Outgoing['headers'] =
    state === 'HIT' ? (entry[kHitHeaders] ??= Object.freeze([...entry.headers, ['x-routeware-cache', 'HIT']]) as Outgoing['headers']) : [...entry.headers, ['x-routeware-cache', state]]
  if (headOnly) return { status: entry.status, statusText: '', headers, body: null }
  let text = entry[kText]
  if (text === undefined) entry[kText] = text = textOf(entry)
  return { status: entry.status, statusText: '', headers, body: text ?? entry.body }
}

/**
 * A small body with a content-type as the string whose UTF-8 bytes are exactly the entry's, else
 * `null`. Node writes a string body in one chunk with the headers, a Buffer as a second chunk
 * (a writev): about 10,000 instructions more per response (bench/README.md, "One write for a
 * string body through Fastify"). Without a content-type the bytes stay bytes: a fetch `Response`
 * built from a string would add `text/plain`.
 */
function textOf(entry: CacheEntry): string | null {
  const { body } = entry
  if (body.byteLength === 0 || body.byteLength > ONE_WRITE_MAX_BYTES) return null
  let typed = false
  for (const [name] of entry.headers) if (name === 'content-type') typed = true
  if (!typed) return null
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const text = bytes.toString('utf8')
  return Buffer.byteLength(text) === bytes.byteLength && Buffer.from(text).equals(bytes) ? text : null
}

/** The cache headers a stored response carries: Next's Cache-Control unless the handler set one. */
function withCacheHeaders(headers: Outgoing['headers'], revalidate: number | false, expire: number): Outgoing['headers'] {
  return headers.some(([name]) => name === 'cache-control') ? headers : [...headers, ['cache-control', cacheControl(revalidate, expire)]]
}

/** Who gets the generated response: a client (`body`), a HEAD client, or nobody (a background regeneration). */
type Recipient = 'body' | 'head' | 'none'

/**
 * Run the handler for the cache; store what it answers unless it read a dynamic input before its
 * body was read in full. With `store`, requests for the same key wait for this generation.
 */
async function generate(input: CachedRunInput, key: string, recipient: Recipient, store: boolean, release?: ReleaseLock): Promise<Outgoing | HostError> {
  const { route, cache } = input
  const { policy } = route
  const createdAt = cache.clock()
  let generation: Generation | undefined
  let settle!: (entry: CacheEntry | undefined) => void
  if (store) {
    generation = { entry: new Promise((resolve) => (settle = resolve)), started: Date.now() }
    cache.inflight.set(key, generation)
  }
  const finish = (entry: CacheEntry | undefined, written?: Promise<void>) => {
    if (release) {
      // Held until the entry is in the store, so another instance never generates it once more.
      const held = release
      release = undefined
      if (written) void written.then(() => releaseQuietly(cache, held))
      else void releaseQuietly(cache, held)
    }
    if (!generation) return
    if (cache.inflight.get(key) === generation) cache.inflight.delete(key)
    generation = undefined
    settle(entry)
  }
  // What `unstable_cache()` calls inside the run add: their tags and revalidate.
  const collected: CollectedTags = { tags: new Set(), revalidate: undefined, expire: undefined, regenerating: recipient === 'none' }
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
  const out = await runHandler({ ...input, collected }, route.exports.handlers.GET!, false, source, tracker)
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
  // Data read with a shorter `revalidate` (or `cacheLife()` expire) shortens the route's, as Next's
  // `collectedRevalidate`/`collectedExpire`: the smallest wins.
  const expire = Math.min(collected.expire ?? YEAR, YEAR)
  let revalidate = collected.revalidate !== undefined && (policy.revalidate === false || collected.revalidate < policy.revalidate) ? collected.revalidate : policy.revalidate
  if (revalidate !== false && revalidate > expire) revalidate = expire
  const headers = withCacheHeaders(out.headers, revalidate, expire)
  const tags = softTags(key, toCacheKey(input.source.basePath, route.definition.path))
  for (const tag of collected.tags) if (!tags.includes(tag)) tags.push(tag)
  let written: Promise<void> | undefined
  const save = (body: Uint8Array | undefined): CacheEntry | undefined => {
    // A read inside the body stream (a `pull()`) counts as much as one before the handler returned.
    if (dynamicUse !== undefined) {
      turnDynamic(input, dynamicUse)
      return undefined
    }
    if (body === undefined || body.byteLength > cache.store.maxEntryBytes) return undefined
    // A Buffer view (no copy): hosts take Buffers on their fastest path when the entry is replayed.
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    const entry: CacheEntry = { status: out.status, headers, body: bytes, createdAt, revalidate, tags }
    written = Promise.resolve()
      // Past `expire` the entry is gone: the next read is a MISS, not STALE.
      .then(() => cache.store.set(key, entry, expire))
      .catch((error: unknown) => cache.logger.error(`The cache store failed to write ${key}; the response was served uncached:`, error))
    return entry
  }
  const served: Outgoing = { status: out.status, statusText: out.statusText, headers: [...headers, ['x-routeware-cache', 'MISS']], body: null }
  if (!isStreamBody(out.body)) {
    finish(save(out.body === null ? new Uint8Array(0) : typeof out.body === 'string' ? Buffer.from(out.body) : out.body), written)
    if (recipient === 'body') served.body = out.body
    return served
  }
  // The entry fills from the generator at its own pace; the client, if any, reads the same chunks at its own.
  served.body = fillEntry(out.body, cache.store.maxEntryBytes, (body) => finish(save(body), written), recipient === 'body') ?? null
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
  const { cache } = input
  const failed = (error: unknown) => cache.logger.error(`Regenerating ${input.route.definition.path} failed; the stale entry is kept:`, error)
  const run = (release?: ReleaseLock) =>
    generate(input, key, 'none', true, release).then((out) => {
      if (out instanceof HostError) failed(out.error)
    }, failed)
  if (!cache.store.lock) return void run()
  // One regeneration across every instance sharing the store: whoever takes the lock.
  Promise.resolve()
    .then(() => cache.store.lock!(lockKey(key), cache.waitMs))
    .then(
      (release) => {
        if (release === undefined) return
        if (cache.inflight.has(key)) return releaseQuietly(cache, release)
        return run(release)
      },
      (error: unknown) => cache.logger.error(`The cache store failed to lock ${key} for regeneration; the stale entry is kept:`, error),
    )
}
