/** `@routeware/fastify` serving bench/app (global `Response.json`) inside a plain Fastify 5 app. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  const app = Fastify({ logger: false, ...(count ? { pluginTimeout: 120_000 } : {}) })
  const t0 = performance.now()
  await app.register(routes, { dir })
  await app.ready()
  const startupMs = performance.now() - t0
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, startupMs, close: () => app.close() }
}
