/** `@routeware/core/cache-store-kit`: the checks every `CacheStore` must pass, for store authors' own tests. */
export { checkCacheStore, type CheckCacheStoreOptions } from './cache/store-kit.js'
