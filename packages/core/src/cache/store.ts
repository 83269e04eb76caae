/**
 * The cache store interface (the public extension point for stores) and the default in-memory
 * store (LRU, bounded by entries and bytes).
 *
 * A store keeps two things: entries (cached route responses and `unstable_cache` results), each
 * carrying its tags, and the time each tag was last revalidated. Invalidation never walks the
 * entries: `revalidateTags` records a time per tag, and a reader compares it with the entry's
 * `createdAt` (`judgeEntry` in tags.ts). So `revalidateTag` costs the same for a tag held by one
 * entry or by ten thousand, and a tag written by one instance is seen by every instance reading
 * the same store. This is the model of Next 16's `cacheHandlers` (a tags manifest of `stale` and
 * `expired` times: packages/next/src/server/lib/cache-handlers/default.ts).
 */

/** One cached value: a route response replayed verbatim (status, headers including Set-Cookie, body bytes), or `unstable_cache` data (JSON bytes). */
export interface CacheEntry {
  status: number
  headers: Array<[string, string]>
  body: Uint8Array
  /** When its generation started, in ms since the epoch: a tag revalidated after it makes it stale. */
  createdAt: number
  /** Seconds it stays fresh (`false`: until a tag or a path revalidates it). */
  revalidate: number | false
  /** Its tags: its path's soft tags (`_N_T_/path`), and every tag of the data it read. */
  tags?: readonly string[]
}

/** When a tag was last revalidated, in ms since the epoch. */
export interface TagState {
  /** Entries created before it are stale: served once while one regeneration runs. */
  stale?: number
  /** Entries created before it are gone once it has passed: the next read regenerates (MISS). */
  expired?: number
}

/** Release a lock taken with `lock()`. */
export type ReleaseLock = () => void | Promise<void>

/**
 * Where cached GET responses and `unstable_cache` results live. Keys are request paths (the mount
 * prefix the request came through, then the path below it, each segment in one canonical
 * encoding) or `unstable_cache:<hash>`; the store adds its own namespace. Every method may return
 * a promise; a store that throws or rejects is logged and bypassed (the request answers uncached,
 * never 500). Run `checkCacheStore` (`@routeware/core/cache-store-kit`) against your own store.
 */
export interface CacheStore {
  /** The entry stored at `key` (stale ones too), or `undefined`. */
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>
  /** Store `entry`; `ttlSeconds`: how long it may live at most (stale entries are still served while regenerating). */
  set(key: string, entry: CacheEntry, ttlSeconds: number): void | Promise<void>
  /** The last revalidation of each tag, in the order asked (`undefined`: never revalidated). */
  getTags(tags: readonly string[]): ReadonlyArray<TagState | undefined> | Promise<ReadonlyArray<TagState | undefined>>
  /**
   * Revalidate `tags` now: entries holding one turn stale at once, and expire `expireSeconds`
   * from now (`0`: at once). `revalidateTag(tag, 'max')` passes a year; `revalidatePath` and
   * `revalidateTag(tag, { expire: 0 })` pass 0.
   */
  revalidateTags(tags: readonly string[], expireSeconds: number): void | Promise<void>
  /**
   * Optional: take a lock named `key` for at most `ttlMs`, shared by every instance using the
   * store, so that one of them regenerates an entry. Resolves to its release, or `undefined` when
   * another holder has it. Without it, each process regenerates once on its own.
   */
  lock?(key: string, ttlMs: number): ReleaseLock | undefined | Promise<ReleaseLock | undefined>
  /**
   * Optional: the store's clock, in ms since the epoch. The router stamps entries (`createdAt`)
   * and judges them against tag times by it, and `revalidateTags` must record tag times by it, so
   * instances sharing the store agree even when their own clocks differ (the Redis store answers
   * Redis's `TIME`). Without it: `Date.now()`.
   */
  now?(): number
  /** Largest body the store keeps; a larger response is served but not cached. */
  readonly maxEntryBytes: number
}

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Most entries kept. Default 1,000. */
  maxEntries?: number
  /** Most body bytes kept in all. Default 64 MiB. */
  maxBytes?: number
  /** Largest body kept. Default 4 MiB. */
  maxEntryBytes?: number
  /** Most tag revalidation times kept (the oldest go first). Default 10,000. */
  maxTags?: number
}

/** The default store: a Map in LRU order, bounded by entries and by bytes, so a crawler cannot exhaust memory. */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? 1000
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? 4 * 1024 * 1024, maxBytes)
  const maxTags = options.maxTags ?? 10000
  const entries = new Map<string, { entry: CacheEntry; expires: number }>()
  const tags = new Map<string, TagState>()
  let bytes = 0
  const drop = (key: string) => {
    const found = entries.get(key)
    if (!found) return
    bytes -= found.entry.body.byteLength
    entries.delete(key)
  }
  return {
    maxEntryBytes,
    get(key) {
      const found = entries.get(key)
      if (!found) return undefined
      if (found.expires <= Date.now()) {
        drop(key)
        return undefined
      }
      // Most recently used last; while the store is under half full nothing is evicted, so the
      // order does not matter yet and a HIT skips the two Map writes.
      if (entries.size * 2 > maxEntries || bytes * 2 > maxBytes) {
        entries.delete(key)
        entries.set(key, found)
      }
      return found.entry
    },
    set(key, entry, ttlSeconds) {
      if (entry.body.byteLength > maxEntryBytes) return
      drop(key)
      entries.set(key, { entry, expires: Date.now() + ttlSeconds * 1000 })
      bytes += entry.body.byteLength
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break
        drop(oldest)
      }
    },
    getTags(names) {
      // The HIT path asks on every read: no allocation past the array while nothing was revalidated.
      if (tags.size === 0) return NONE
      return names.map((name) => tags.get(name))
    },
    revalidateTags(names, expireSeconds) {
      const now = Date.now()
      for (const name of names) {
        // Re-inserted, so the Map's order is the order of revalidation: the oldest go first.
        tags.delete(name)
        tags.set(name, { stale: now, expired: now + expireSeconds * 1000 })
      }
      for (const oldest of tags.keys()) {
        if (tags.size <= maxTags) break
        // A tag dropped from the manifest leaves its stale entries behind: drop them all.
        tags.delete(oldest)
        entries.clear()
        bytes = 0
      }
    },
  }
}

const NONE: ReadonlyArray<TagState | undefined> = []
