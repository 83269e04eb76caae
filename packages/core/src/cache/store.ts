/** The cache store interface and the default in-memory store (LRU, bounded by entries and bytes). */

/** One cached response: replayed verbatim (status, headers including Set-Cookie, body bytes). */
export interface CacheEntry {
  status: number
  headers: Array<[string, string]>
  body: Uint8Array
  /** When it was generated, in ms since the epoch. */
  createdAt: number
  /** The route's `revalidate` when it was stored. */
  revalidate: number | false
}

/**
 * Where cached GET responses live. Keys are request paths: the mount prefix the request came
 * through, then the path below it (`/t/acme/x`), each segment in one canonical encoding; the store
 * adds its own namespace. Every method may return a promise; a store that fails is logged and bypassed.
 */
export interface CacheStore {
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>
  /** `ttlSeconds`: how long the entry may live at most (stale entries are still served while regenerating). */
  set(key: string, entry: CacheEntry, ttlSeconds: number): void | Promise<void>
  delete(key: string): void | Promise<void>
  /** Drop every entry at `path` and below it (`revalidatePath(path, 'layout')`). */
  deletePrefix(path: string): void | Promise<void>
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
}

/** The default store: a Map in LRU order, bounded by entries and by bytes, so a crawler cannot exhaust memory. */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? 1000
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? 4 * 1024 * 1024, maxBytes)
  const entries = new Map<string, { entry: CacheEntry; expires: number }>()
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
      // Most recently used last.
      entries.delete(key)
      entries.set(key, found)
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
    delete: drop,
    deletePrefix(path) {
      const base = path.endsWith('/') ? path : `${path}/`
      for (const key of [...entries.keys()]) if (key === path || key.startsWith(base) || path === '/') drop(key)
    },
  }
}
