/** `routeware-fastify-nr` with an `instrumentation.ts` that has only `register()` (bench/instrumentation/register-only.ts). */
import Fastify from 'fastify'
import routes from '@routeware/fastify'
import { instrumentationFiles, nextResponseAppDir } from './_dir.mjs'

/** @param {number} port */
export async function start(port) {
  const app = Fastify({ logger: false })
  await app.register(routes, { dir: nextResponseAppDir, instrumentation: instrumentationFiles.registerOnly })
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
