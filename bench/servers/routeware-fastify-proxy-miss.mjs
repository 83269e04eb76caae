/** `routeware-fastify-nr` with a proxy.ts (miss: see bench/proxy/miss.ts), given by the `proxy` option. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { nextResponseAppDir, proxyFiles } from './_dir.mjs'

/** @param {number} port */
export async function start(port) {
  const app = Fastify({ logger: false })
  await app.register(routes, { dir: nextResponseAppDir, proxy: proxyFiles.miss })
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
