// One app instance for the cross-process tag tests (redis-tags.test.ts): Express or Fastify over
// a Redis store, its port printed as `LISTENING <port>`, the router's logs on stderr.
import express from 'express'
import Fastify from 'fastify'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'
import { createRedisStore } from '@routeware/core/redis'

const { APP_KIND, REDIS_URL, APP_NS, APP_DIR, CLOCK_SKEW_MS } = process.env
if (CLOCK_SKEW_MS) {
  // This test app's clock runs CLOCK_SKEW_MS ahead (behind, if negative): instances whose clocks disagree.
  const realNow = Date.now
  const skew = Number(CLOCK_SKEW_MS)
  Date.now = () => realNow() + skew
}
const cache = await createRedisStore({ namespace: APP_NS, client: REDIS_URL, timeoutMs: 200 })
let port
if (APP_KIND === 'fastify') {
  // Fastify hands Routeware its request logger: on, so the store's failures reach stderr... as JSON lines.
  const app = Fastify({ logger: { level: 'error' } })
  await app.register(routesFastify, { dir: APP_DIR, cache })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = app.server.address().port
} else {
  const app = express()
  const middleware = routesExpress({ dir: APP_DIR, cache })
  app.use(middleware)
  await middleware.ready()
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  port = server.address().port
}
process.stdout.write(`LISTENING ${port}\n`)
