/**
 * Plain Fastify 5, defaults (no response schema, logger off): native routes for every scenario.
 * With `routes`, the route-count scenario: `/users/:id` plus `routes - 1` filler routes.
 */
import Fastify from 'fastify'
import { chunkReadable } from './_node-stream.mjs'
import { STREAM_TYPE } from './_scenarios.mjs'
import { fillerPaths } from './_tree.mjs'

/** @param {number} port @param {{ routes?: number }} [options] */
export async function start(port, { routes } = {}) {
  const app = Fastify({ logger: false })
  const t0 = performance.now()
  addRoutes(app, { routes })
  await app.ready()
  const startupMs = performance.now() - t0
  await app.listen({ port, host: '127.0.0.1' })
  return { port: /** @type {import('node:net').AddressInfo} */ (app.server.address()).port, startupMs, close: () => app.close() }
}

/** The plain Fastify routes of every scenario, on `app` (also used by `fastify-beside`). @param {import('fastify').FastifyInstance} app @param {{ routes?: number }} [options] */
export function addRoutes(app, { routes } = {}) {
  const user = async (request) => ({ id: /** @type {{ id: string }} */ (request.params).id })
  app.get('/users/:id', user)
  app.get('/cached/:id', user)
  if (routes) {
    for (const path of fillerPaths(routes)) app.get(path, user)
  } else {
    app.post('/echo', async (request) => request.body)
    app.get('/stream', (_request, reply) => reply.type(STREAM_TYPE).send(chunkReadable()))
  }
}
