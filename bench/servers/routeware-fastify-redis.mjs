/** `@routeware/fastify` serving bench/app with the Redis store (`REDIS_URL`): the tags bench (tags.mjs) only, not a contender of run.mjs. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { createRedisStore } from '@routeware/core/redis'
import { appDir } from './_dir.mjs'

/** @param {number} port */
export async function start(port) {
  const cache = await createRedisStore({ namespace: process.env.BENCH_REDIS_NAMESPACE ?? 'bench', client: process.env.REDIS_URL })
  const app = Fastify({ logger: false })
  await app.register(routes, { dir: appDir, cache })
  await app.ready()
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: async () => (await app.close(), await cache.close()) }
}
