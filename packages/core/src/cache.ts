/**
 * `@routeware/core/cache`: mirrors `next/cache`. A route module that imports it turns the request
 * scope on (its one side effect, listed in package.json's `sideEffects`).
 */
import { enableRequestScope } from './scope/request-scope.js'
export { revalidatePath, revalidateTag, updateTag, refresh } from './cache/revalidate.js'
export { unstable_cache, type UnstableCacheOptions } from './cache/unstable-cache.js'
export { createMemoryStore, type CacheStore, type CacheEntry, type TagState, type ReleaseLock, type MemoryStoreOptions } from './cache/store.js'
export { io, unstable_noStore } from './lifecycle/connection.js'
export { cacheTag, cacheLife, cacheTag as unstable_cacheTag, cacheLife as unstable_cacheLife, __useCache } from './cache/use-cache.js'
export { fromCacheHandler, type NextCacheHandler, type NextCacheHandlerEntry, type CacheHandlerStoreOptions } from './cache/cache-handler-store.js'

enableRequestScope()
