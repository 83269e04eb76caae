/**
 * The Redis store against a real Redis, with two app instances sharing it (issue 4). The Redis is
 * `REDIS_URL`'s or a redis-server from PATH (`_redis.ts`); with neither, the file is skipped with
 * one line saying how to run it, or fails under ROUTEWARE_REQUIRE_REDIS=1, as in CI (issue #12).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import express from 'express'
import Fastify from 'fastify'
import supertest from 'supertest'
import { Redis } from 'ioredis'
import { randomUUID } from 'node:crypto'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'
import { createRedisStore, type RedisStore } from '@routeware/core/redis'
import { fixture } from './_suite.js'
import { findRedis, HOW_TO_RUN_REDIS, redisRequired, startRedis, type RedisServer } from './_redis.js'

const source = findRedis()
const skip = source.kind === 'none' && !redisRequired()
// One line, outside vitest's console capture: the reporter alone would only say "skipped".
if (skip) process.stderr.write(`redis.test.ts: Redis store tests skipped, no redis-server on PATH and no REDIS_URL: ${HOW_TO_RUN_REDIS}\n`)

// Every namespace is this run's own, so a shared Redis (REDIS_URL) holding an earlier run's keys
// never turns a MISS into a HIT; the keys are deleted afterwards.
const run = `test-${randomUUID()}`
const ns = (name: string) => `${run}-${name}`

let redis: RedisServer
const stores: RedisStore[] = []
beforeAll(async () => {
  if (!skip) redis = await startRedis(source)
}, 20000)
afterAll(async () => {
  for (const store of stores) await store.close()
  if (redis) {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 })
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `routeware:${run}-*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) await client.del(...keys)
    } while (cursor !== '0')
    await client.quit()
  }
  await redis?.stop()
})

async function instances(namespace: string) {
  const storeA = await createRedisStore({ namespace, client: redis.url })
  const storeB = await createRedisStore({ namespace, client: redis.url })
  stores.push(storeA, storeB)
  const a = express()
  const middleware = routesExpress({ dir: fixture('caching'), cache: storeA, logger: { error() {}, warn() {}, info() {} } })
  a.use(middleware)
  await middleware.ready()
  const b = Fastify()
  await b.register(routesFastify, { dir: fixture('caching'), cache: storeB })
  await b.ready()
  return { a: () => supertest(a), b: () => supertest(b.server), close: () => b.close() }
}

describe.skipIf(skip)('Redis store', () => {
  it("instance A's cached response is served by instance B", async () => {
    const { a, b, close } = await instances(ns('shared-hit'))
    // Rendered at start-up by A (ready first); B found the entry in the store at its own start-up.
    const first = await a().get('/revalidate-false')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    const fromB = await b().get('/revalidate-false')
    expect(fromB.headers['x-routeware-cache']).toBe('HIT')
    expect(fromB.body).toEqual(first.body)
    expect(fromB.headers['cache-control']).toBe('s-maxage=31536000')
    await close()
  })

  it('revalidatePath on one instance is seen by all', async () => {
    const { a, b, close } = await instances(ns('shared-revalidate'))
    const first = await a().get('/revalidate-false')
    expect((await b().get('/revalidate-false')).headers['x-routeware-cache']).toBe('HIT')
    await b().post('/revalidate-action?path=/revalidate-false')
    const after = await a().get('/revalidate-false')
    expect(after.headers['x-routeware-cache']).toBe('MISS')
    expect(after.body.n).toBeGreaterThan(first.body.n)
    await close()
  })

  it('two namespaces never collide', async () => {
    const one = await instances(ns('ns-one'))
    const two = await instances(ns('ns-two'))
    // A param generateStaticParams did not list: rendered on its first request, as in Next.
    expect((await one.a().get('/gsp/namespaced')).headers['x-routeware-cache']).toBe('MISS')
    expect((await one.b().get('/gsp/namespaced')).headers['x-routeware-cache']).toBe('HIT')
    expect((await two.b().get('/gsp/namespaced')).headers['x-routeware-cache']).toBe('MISS')
    await one.close()
    await two.close()
  })

  it('keeps binary bodies and headers byte for byte (a response with Set-Cookie is never stored: issue #17)', async () => {
    const { a, b, close } = await instances(ns('bytes'))
    await a().get('/binary-static')
    const res = await b().get('/binary-static').buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => done(null, Buffer.concat(chunks)))
    })
    expect(res.headers['x-routeware-cache']).toBe('HIT')
    expect(res.headers.link).toBe('</a>; rel="preload", </b>; rel="preload"')
    expect([...(res.body as Buffer)]).toEqual(Array.from({ length: 256 }, (_, i) => i))
    await a().get('/cookie-static')
    expect((await b().get('/cookie-static')).headers['x-routeware-cache']).toBe('MISS')
    await close()
  })

  it('requires a namespace', async () => {
    await expect(createRedisStore({ namespace: '', client: redis.url })).rejects.toThrow(/namespace/)
  })

  it('a Redis that is unreachable at request time: the handler still answers (uncached) and the failure is logged', async () => {
    const store = await createRedisStore({ namespace: ns('down'), client: 'redis://127.0.0.1:1', timeoutMs: 100 })
    stores.push(store)
    const logs: string[] = []
    const app = express()
    const middleware = routesExpress({ dir: fixture('caching'), cache: store, logger: { error: (...a: unknown[]) => logs.push(a.map(String).join(' ')), warn() {}, info() {} } })
    app.use(middleware)
    await middleware.ready()
    const res = await supertest(app).get('/revalidate-false')
    expect(res.status).toBe(200)
    expect(res.body.n).toBeGreaterThan(0)
    expect(res.headers['x-routeware-cache']).toBeUndefined()
    expect(logs.join('\n')).toMatch(/cache store failed/)
  })
})
