/** `@routeware/core/cache`: mirrors `next/cache`. */
export { revalidatePath } from './cache/revalidate.js'
export { createMemoryStore, type CacheStore, type CacheEntry, type MemoryStoreOptions } from './cache/store.js'
export { io, unstable_noStore } from './lifecycle/connection.js'
