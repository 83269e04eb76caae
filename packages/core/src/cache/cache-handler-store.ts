/**
 * A Next 16 `cacheHandlers` implementation (the interface of
 * packages/next/src/server/lib/cache-handlers/types.ts: `get`, `set`, `refreshTags`,
 * `getExpiration`, `updateTags`) as a Routeware `CacheStore`, so the community's Redis/Valkey
 * handlers written for Next serve Routeware too.
 *
 * What the interface cannot say: it reports when a tag expires, not when it turned stale, and its
 * `get` hides an entry whose tags were revalidated. So through a handler, `revalidateTag(tag,
 * 'max')` makes the next read a MISS (not STALE), and there is no lock across instances (each
 * process regenerates once). Everything else (HIT, MISS, tags, `revalidatePath`, `unstable_cache`,
 * `'use cache'`) behaves as with Routeware's own stores.
 */
import type { CacheEntry, CacheStore, TagState } from './store.js'

/** A `cacheHandlers` entry, as Next 16 defines it (durations in seconds, timestamps in ms). */
export interface NextCacheHandlerEntry {
  value: ReadableStream<Uint8Array>
  tags: string[]
  stale: number
  timestamp: number
  expire: number
  revalidate: number
}

/** Next 16's `cacheHandlers` interface. */
export interface NextCacheHandler {
  get(cacheKey: string, softTags: string[]): Promise<undefined | NextCacheHandlerEntry>
  set(cacheKey: string, pendingEntry: Promise<NextCacheHandlerEntry>): Promise<void>
  refreshTags(): Promise<void>
  getExpiration(tags: string[]): Promise<number>
  updateTags(tags: string[], durations?: { expire?: number }): Promise<void>
}

/** Options of `fromCacheHandler`. */
export interface CacheHandlerStoreOptions {
  /** Largest body kept. Default 4 MiB. */
  maxEntryBytes?: number
}

/** Serve a Next 16 `cacheHandlers` handler as the router's `cache` store. */
export function fromCacheHandler(handler: NextCacheHandler, options: CacheHandlerStoreOptions = {}): CacheStore {
  // `refreshTags()` runs before reads, as Next calls it before each request; concurrent reads share one call.
  let refreshing: Promise<void> | undefined
  const refresh = () =>
    (refreshing ??= handler.refreshTags().finally(() => {
      refreshing = undefined
    }))
  return {
    maxEntryBytes: options.maxEntryBytes ?? 4 * 1024 * 1024,
    async get(key) {
      await refresh()
      const found = await handler.get(key, [])
      if (!found) return undefined
      const bytes = await readAll(found.value)
      const newline = bytes.indexOf(10)
      if (newline === -1) return undefined
      const head = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Omit<CacheEntry, 'body' | 'createdAt' | 'tags'>
      return { ...head, body: bytes.subarray(newline + 1), createdAt: found.timestamp, tags: found.tags }
    },
    async set(key, entry, ttlSeconds) {
      const head = Buffer.from(JSON.stringify({ status: entry.status, headers: entry.headers, revalidate: entry.revalidate }) + '\n')
      const bytes = Buffer.concat([head, entry.body])
      const value = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(bytes))
          controller.close()
        },
      })
      // The handler keeps the entry until `ttlSeconds`; Routeware judges `revalidate` itself (STALE on a timer).
      await handler.set(key, Promise.resolve({ value, tags: [...(entry.tags ?? [])], stale: 300, timestamp: entry.createdAt, expire: ttlSeconds, revalidate: ttlSeconds }))
    },
    async getTags(tags) {
      const now = Date.now()
      const expirations = await Promise.all(tags.map((tag) => handler.getExpiration([tag])))
      return expirations.map((at): TagState | undefined => (at > 0 && Number.isFinite(at) ? (at <= now ? { stale: at, expired: at } : { expired: at }) : undefined))
    },
    async revalidateTags(tags, expireSeconds) {
      await handler.updateTags([...tags], { expire: expireSeconds })
    },
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(chunk.value)
  return Buffer.concat(chunks)
}
