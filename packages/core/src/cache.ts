/**
 * `@routeware/core/cache`: mirrors `next/cache`. A route module that imports it turns the request
 * scope on (its one side effect, listed in package.json's `sideEffects`).
 */
import { enableRequestScope } from './scope/request-scope.js'
export { revalidatePath } from './cache/revalidate.js'
export { createMemoryStore, type CacheStore, type CacheEntry, type MemoryStoreOptions } from './cache/store.js'
export { io, unstable_noStore } from './lifecycle/connection.js'

enableRequestScope()
