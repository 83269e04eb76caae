/** `@routeware/fastify` serving bench/app (global `Response.json`) inside a plain Fastify 5 app. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  // Fastify's default 10 s `pluginTimeout` is kept: a 10,000-route tree must start within it.
  // BENCH_PLUGIN_TIMEOUT: callgrind.mjs runs the server under valgrind, 20-50x slower to start.
  const app = Fastify({ logger: false, ...(process.env.BENCH_PLUGIN_TIMEOUT ? { pluginTimeout: Number(process.env.BENCH_PLUGIN_TIMEOUT) } : {}) })
  const t0 = performance.now()
  await app.register(routes, { dir })
  await app.ready()
  const startupMs = performance.now() - t0
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, startupMs, close: () => app.close() }
}
