/** The cache store test kit (`@routeware/core/cache-store-kit`) against Routeware's own stores: memory, and Redis shared by two clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { createMemoryStore, type CacheStore } from '@routeware/core/cache'
import { checkCacheStore } from '@routeware/core/cache-store-kit'
import { createRedisStore, type RedisStore } from '@routeware/core/redis'
import { findRedis, HOW_TO_RUN_REDIS, redisRequired, startRedis, type RedisServer } from './_redis.js'

const source = findRedis()
const skip = source.kind === 'none' && !redisRequired()
if (skip) process.stderr.write(`store-kit.test.ts: the Redis part skipped, no redis-server on PATH and no REDIS_URL: ${HOW_TO_RUN_REDIS}\n`)

describe('checkCacheStore', () => {
  it('the memory store passes every check', async () => {
    const done = await checkCacheStore(() => createMemoryStore())
    expect(done.length).toBeGreaterThanOrEqual(10)
  })

  it('a store that forgets its tag times fails, naming the check', async () => {
    const broken = (): CacheStore => ({ ...createMemoryStore(), revalidateTags() {} })
    await expect(checkCacheStore(broken, { skipSlow: true })).rejects.toThrow(/CacheStore check failed: revalidateTags\(tags, 0\)/)
  })

  it('a store that drops repeated headers fails, naming the check', async () => {
    const broken = (): CacheStore => {
      const inner = createMemoryStore()
      return { ...inner, set: (key, entry, ttl) => inner.set(key, { ...entry, headers: [...new Map(entry.headers)] }, ttl) }
    }
    await expect(checkCacheStore(broken, { skipSlow: true })).rejects.toThrow(/CacheStore check failed: set\(\) then get\(\)[\s\S]*headers/)
  })
})

describe.skipIf(skip)('checkCacheStore on Redis', () => {
  let redis: RedisServer
  const stores: RedisStore[] = []
  const namespace = `kit-${randomUUID()}`
  beforeAll(async () => {
    redis = await startRedis(source)
  }, 20000)
  afterAll(async () => {
    for (const store of stores) await store.close()
    await redis?.stop()
  })

  it('the Redis store passes every check, two clients sharing one Redis included', async () => {
    const done = await checkCacheStore(
      async () => {
        const store = await createRedisStore({ namespace, client: redis.url })
        stores.push(store)
        return store
      },
      { shared: true },
    )
    expect(done).toContain('two stores over the same data: entries and tag times written by one are read by the other')
  }, 20000)
})
