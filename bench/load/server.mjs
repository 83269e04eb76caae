/**
 * Child process of the load test: `node load/server.mjs <express|fastify|handler>` serves load/app
 * through that adapter (`handler`: `createHandler` as a node:http listener) on 127.0.0.1, sends `{ port }` over IPC once listening, answers
 * `'rss'` messages with `{ rss }` and `'heap'` with `{ heap }` (heapUsed after a full GC, with
 * --expose-gc), and closes on `'close'` or SIGTERM.
 */
import { fileURLToPath } from 'node:url'

const adapter = process.argv[2]
const dir = fileURLToPath(new URL('./app', import.meta.url))

async function startExpress() {
  const { default: express } = await import('express')
  const { default: routes } = await import('@routeware/express')
  const { createServer } = await import('node:http')
  const app = express()
  const middleware = routes({ dir })
  app.use(middleware)
  await middleware.ready()
  app.use((_req, res) => res.status(404).send('host 404'))
  return listen(createServer(app))
}

async function startFastify() {
  const { default: Fastify } = await import('fastify')
  const { default: routes } = await import('@routeware/fastify')
  const app = Fastify({ logger: false })
  await app.register(routes, { dir })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { port: app.server.address().port, close: () => app.close() }
}

async function startHandler() {
  const { createHandler } = await import('@routeware/core')
  const { createServer } = await import('node:http')
  return listen(createServer(await createHandler({ dir })))
}

/** Listen on a loopback port; `close` drops keep-alive connections first. */
async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(resolve)
      }),
  }
}

/** Reference for the memory bench: plain Fastify serving `/users/:id` natively, no Routeware. */
async function startPlainFastify() {
  const { default: Fastify } = await import('fastify')
  const app = Fastify({ logger: false })
  app.get('/users/:id', async (request) => ({ id: request.params.id }))
  app.get('/big', async (request, reply) => {
    const { Readable } = await import('node:stream')
    const chunk = Buffer.alloc(64 * 1024, 120)
    let left = Number(request.query.mib ?? 1024) * 16
    const body = new Readable({ read() { this.push(left-- > 0 ? chunk : null) } })
    return reply.type('application/octet-stream').send(body)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { port: app.server.address().port, close: () => app.close() }
}

const starters = { express: startExpress, fastify: startFastify, handler: startHandler, 'plain-fastify': startPlainFastify }
if (!starters[adapter]) {
  console.error('usage: node load/server.mjs <express|fastify|handler|plain-fastify>')
  process.exit(2)
}
const server = await starters[adapter]()
process.send({ port: server.port })
let closing = false
const shutdown = async () => {
  if (closing) return
  closing = true
  await server.close()
  process.exit(0)
}
process.on('message', (message) => {
  if (message === 'rss') process.send({ rss: process.memoryUsage().rss })
  // Between phases only (a full GC under load would distort it): the live heap, the leak signal.
  if (message === 'heap') {
    globalThis.gc?.()
    process.send({ heap: process.memoryUsage().heapUsed })
  }
  if (message === 'close') void shutdown()
})
process.on('SIGTERM', shutdown)
process.on('disconnect', shutdown)
