/**
 * The plain Fastify app of `fastify.mjs` with `@routeware/fastify` registered beside its routes,
 * at the root (no prefix), serving `app-beside/` (`/rw/users/[id]`, never requested). Every
 * scenario requests the host's own routes: what Routeware costs an app's routes it does not serve.
 */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { addRoutes } from './fastify.mjs'
import { besideAppDir } from './_dir.mjs'

/** @param {number} port */
export async function start(port) {
  const app = Fastify({ logger: false })
  addRoutes(app)
  await app.register(routes, { dir: besideAppDir })
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
