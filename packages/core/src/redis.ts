/** `@routeware/core/redis`: a shared cache store for apps that run several instances. */
export { createRedisStore, type RedisStore, type RedisStoreOptions, type RedisLike } from './cache/redis-store.js'
