/**
 * A small Next 16 `cacheHandlers` handler, written to Next's interface only
 * (packages/next/src/server/lib/cache-handlers/types.ts), as the community's Redis/Valkey
 * handlers are: entries in a Map, a tags manifest of `stale`/`expired` times. Two handlers made
 * with one `shared` backend see each other's entries and tags, as two instances on one Redis.
 */
export interface HandlerEntry {
  value: ReadableStream<Uint8Array>
  tags: string[]
  stale: number
  timestamp: number
  expire: number
  revalidate: number
}

export interface Backend {
  entries: Map<string, { entry: Omit<HandlerEntry, 'value'>; bytes: Uint8Array }>
  tags: Map<string, { stale?: number; expired?: number }>
  calls: string[]
}

export const createBackend = (): Backend => ({ entries: new Map(), tags: new Map(), calls: [] })

export function createNextCacheHandler(backend: Backend = createBackend()) {
  const isStale = (tags: string[], timestamp: number) => tags.some((tag) => {
    const state = backend.tags.get(tag)
    return (state?.stale ?? 0) > timestamp || ((state?.expired ?? 0) > timestamp && (state?.expired ?? 0) <= Date.now())
  })
  return {
    async get(cacheKey: string, softTags: string[]): Promise<HandlerEntry | undefined> {
      backend.calls.push('get')
      const found = backend.entries.get(cacheKey)
      if (!found) return undefined
      if (Date.now() > found.entry.timestamp + found.entry.expire * 1000) {
        backend.entries.delete(cacheKey)
        return undefined
      }
      if (isStale(found.entry.tags, found.entry.timestamp) || isStale(softTags, found.entry.timestamp)) return undefined
      const bytes = found.bytes
      return { ...found.entry, value: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }) }
    },
    async set(cacheKey: string, pendingEntry: Promise<HandlerEntry>): Promise<void> {
      backend.calls.push('set')
      const { value, ...entry } = await pendingEntry
      const chunks: Uint8Array[] = []
      const reader = value.getReader()
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
      backend.entries.set(cacheKey, { entry, bytes: Buffer.concat(chunks) })
    },
    async refreshTags(): Promise<void> {
      backend.calls.push('refreshTags')
    },
    async getExpiration(tags: string[]): Promise<number> {
      backend.calls.push('getExpiration')
      return Math.max(0, ...tags.map((tag) => backend.tags.get(tag)?.expired ?? 0))
    },
    async updateTags(tags: string[], durations?: { expire?: number }): Promise<void> {
      backend.calls.push('updateTags')
      const now = Date.now()
      for (const tag of tags) {
        const state = { ...backend.tags.get(tag) }
        if (durations) {
          state.stale = now
          if (durations.expire !== undefined) state.expired = now + durations.expire * 1000
        } else state.expired = now
        backend.tags.set(tag, state)
      }
    },
  }
}
