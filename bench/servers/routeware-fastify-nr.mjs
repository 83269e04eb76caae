/** `@routeware/fastify` serving bench/app-next-response (NextResponse.json) inside a plain Fastify 5 app. */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { nextResponseAppDir } from './_dir.mjs'

/** @param {number} port */
export async function start(port) {
  // BENCH_PLUGIN_TIMEOUT: instructions.mjs runs the server under valgrind, 20-50x slower to start.
  const app = Fastify({ logger: false, ...(process.env.BENCH_PLUGIN_TIMEOUT ? { pluginTimeout: Number(process.env.BENCH_PLUGIN_TIMEOUT) } : {}) })
  await app.register(routes, { dir: nextResponseAppDir })
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
