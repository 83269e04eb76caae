/**
 * What a handler reaches of its router's cache: `revalidatePath()` and `revalidateTag()` (one
 * mechanism: a path is its soft tag), and `unstable_cache()` data in the same store, with one
 * computation per key at a time (packages/next/src/server/web/spec-extension/unstable-cache.ts).
 */
import { createHash } from 'node:crypto'
import type { Logger } from '../options.js'
import type { CacheControl, CollectedTags, DataCall, FunctionCall, FunctionResult } from '../scope/request-scope.js'
import { toCacheKey } from './cache-key.js'
import type { CacheEntry, CacheStore } from './store.js'
import { judgeEntry, pathTags, YEAR } from './tags.js'

export type { CollectedTags }

/** The prefix of `unstable_cache` keys: request paths always start with `/`. */
const DATA_PREFIX = 'unstable_cache:'
/** The prefix of `'use cache'` keys. */
const FUNCTION_PREFIX = 'use_cache:'

/** Build the handler's side of the cache over `store`. */
export function createCacheControl(store: CacheStore, logger: Logger): CacheControl {
  const clock = storeClock(store)
  /** Computations under way, by key: one per key in this process. */
  const computing = new Map<string, Promise<unknown>>()

  const revalidateTags = async (tags: readonly string[], expireSeconds: number) => {
    try {
      await store.revalidateTags(tags, Math.min(Math.max(0, expireSeconds), YEAR))
    } catch (error) {
      logger.error(`Revalidating ${tags.map((tag) => JSON.stringify(tag)).join(', ')} could not reach the cache store; those entries are not revalidated:`, error)
    }
  }

  const store_ = (key: string, value: unknown, call: DataCall, createdAt: number) => {
    const body = value === undefined ? new Uint8Array(0) : Buffer.from(JSON.stringify(value))
    const entry: CacheEntry = { status: 200, headers: [], body, createdAt, revalidate: call.revalidate ?? false, tags: call.tags }
    return Promise.resolve()
      .then(() => store.set(key, entry, YEAR))
      .catch((error: unknown) => logger.error(`The cache store failed to write unstable_cache data (${key}):`, error))
  }

  /** Run `call.compute()` once for `key`, however many ask meanwhile, and store what it returns. */
  const compute = (key: string, call: DataCall): Promise<unknown> => {
    const running = computing.get(key)
    if (running) return running
    const createdAt = clock()
    const promise = call.compute().then(
      (value) => {
        computing.delete(key)
        void store_(key, value, call, createdAt)
        return value
      },
      (error: unknown) => {
        computing.delete(key)
        throw error
      },
    )
    computing.set(key, promise)
    return promise
  }

  /** `'use cache'` computations under way, by key. */
  const running = new Map<string, Promise<FunctionResult>>()
  const computeFunction = (key: string, call: FunctionCall): Promise<FunctionResult> => {
    const already = running.get(key)
    if (already) return already
    const createdAt = clock()
    const promise = call.compute().then(
      (result) => {
        running.delete(key)
        const entry: CacheEntry = { status: 200, headers: [[EXPIRE_HEADER, String(result.expire)]], body: result.body, createdAt, revalidate: result.revalidate, tags: result.tags }
        void Promise.resolve()
          .then(() => store.set(key, entry, Math.min(Math.max(1, result.expire), YEAR)))
          .catch((error: unknown) => logger.error(`The cache store failed to write a 'use cache' result (${key}):`, error))
        return result
      },
      (error: unknown) => {
        running.delete(key)
        throw error
      },
    )
    running.set(key, promise)
    return promise
  }

  return {
    async cachedFunction(call) {
      const key = FUNCTION_PREFIX + createHash('sha256').update(call.key).digest('hex')
      try {
        const entry = await store.get(key)
        if (entry) {
          const now = clock()
          const state = judgeEntry(entry, await store.getTags([...(entry.tags ?? []), ...call.softTags]), now)
          if (state === 'fresh') return asResult(entry)
          // As Next's default 'use cache' handler: past its own `revalidate` it is dropped (the next
          // call recomputes); stale through a tag (`revalidateTag(tag, 'max')`) it is served once
          // more while one computation replaces it. A background regeneration recomputes.
          const pastRevalidate = entry.revalidate !== false && now - entry.createdAt >= entry.revalidate * 1000
          if (state === 'stale' && !pastRevalidate && !call.regenerating) {
            computeFunction(key, call).catch((error: unknown) => logger.error(`Revalidating a 'use cache' result (${key}) failed; the stale value is kept:`, error))
            return asResult(entry)
          }
        }
      } catch (error) {
        logger.error("The cache store failed to read a 'use cache' result; computing it:", error)
        return call.compute()
      }
      return computeFunction(key, call)
    },
    async revalidatePath(path, type, prefix) {
      await revalidateTags(pathTags(toCacheKey(prefix, normalizePath(path)), type), 0)
    },
    revalidateTags,
    async cachedData(call) {
      const key = DATA_PREFIX + createHash('sha256').update(call.key).digest('hex')
      let entry: CacheEntry | undefined
      let state
      try {
        entry = await store.get(key)
        if (entry) state = judgeEntry(entry, await store.getTags([...(entry.tags ?? []), ...call.softTags]), clock())
      } catch (error) {
        logger.error('The cache store failed to read unstable_cache data; computing it:', error)
        return call.compute()
      }
      if (entry && state === 'fresh') return parse(entry)
      if (entry && state === 'stale' && !call.regenerating) {
        // Served once more while one computation replaces it.
        compute(key, call).catch((error: unknown) => logger.error(`Revalidating unstable_cache data (${key}) failed; the stale value is kept:`, error))
        return parse(entry)
      }
      return compute(key, call)
    },
  }
}

/** The clock entries are stamped and judged by: the store's own (shared by every instance), else this process's. */
export function storeClock(store: CacheStore): () => number {
  // `Date.now()` looked up at each call, never kept: a test that holds the clock replaces it.
  return typeof store.now === 'function' ? () => store.now!() : () => Date.now()
}

/** Where a `'use cache'` entry keeps its `expire` (seconds): in its headers, which every store keeps. */
const EXPIRE_HEADER = 'x-routeware-expire'

function asResult(entry: CacheEntry): FunctionResult {
  const expire = Number(entry.headers.find(([name]) => name === EXPIRE_HEADER)?.[1])
  return { body: entry.body, tags: entry.tags ?? [], revalidate: entry.revalidate === false ? YEAR : entry.revalidate, expire: Number.isFinite(expire) ? expire : YEAR }
}

function parse(entry: CacheEntry): unknown {
  return entry.body.byteLength === 0 ? undefined : JSON.parse(Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength).toString('utf8'))
}

/** `revalidatePath()`'s argument as a path: no query, no trailing slash. */
function normalizePath(path: string): string {
  const clean = path.split('?')[0]!.replace(/\/+$/, '')
  return clean === '' ? '/' : clean.startsWith('/') ? clean : `/${clean}`
}

/** Record what a cached function read into the route response being generated: its tags, and the smallest `revalidate` and `expire`. */
export function collect(collected: CollectedTags | undefined, tags: readonly string[], revalidate: number | false | undefined, expire?: number): void {
  if (!collected) return
  for (const tag of tags) collected.tags.add(tag)
  if (typeof revalidate === 'number' && (collected.revalidate === undefined || revalidate < collected.revalidate)) collected.revalidate = revalidate
  if (expire !== undefined && (collected.expire === undefined || expire < collected.expire)) collected.expire = expire
}
