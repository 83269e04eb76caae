/** Plain Fastify 5: one native route, defaults (no response schema, logger off). */
import Fastify from 'fastify'

/** @param {number} port */
export async function start(port) {
  const app = Fastify({ logger: false })
  app.get('/users/:id', async (request) => ({ id: /** @type {{ id: string }} */ (request.params).id }))
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, close: () => app.close() }
}
