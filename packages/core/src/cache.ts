/** `@routeware/core/cache`: mirrors `next/cache`. */
export { revalidatePath, revalidateTag, updateTag, refresh } from './cache/revalidate.js'
export { unstable_cache, type UnstableCacheOptions } from './cache/unstable-cache.js'
export { createMemoryStore, type CacheStore, type CacheEntry, type TagState, type ReleaseLock, type MemoryStoreOptions } from './cache/store.js'
export { io, unstable_noStore } from './lifecycle/connection.js'
export { cacheTag, cacheLife, cacheTag as unstable_cacheTag, cacheLife as unstable_cacheLife, __useCache } from './cache/use-cache.js'
export { fromCacheHandler, type NextCacheHandler, type NextCacheHandlerEntry, type CacheHandlerStoreOptions } from './cache/cache-handler-store.js'
