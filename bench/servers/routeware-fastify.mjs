/** `@routeware/fastify` serving bench/app (global `Response.json`) inside a plain Fastify 5 app. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  // 10,000 route files take ~4 s to import and 6-8 s more to register natively with every method on
  // this machine, past avvio's default 10 s plugin timeout: the route-count scenario raises it, as
  // an app with such a tree must (README, Fastify). Start-up time is reported, not hidden.
  const app = Fastify({ logger: false, ...(count ? { pluginTimeout: 120_000 } : {}) })
  await app.register(routes, { dir })
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
