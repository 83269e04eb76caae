// Fastify 5 serving ../app with Routeware, next to an ordinary Fastify route.
//   PORT=3000 HOST=0.0.0.0 node examples/fastify/server.mjs
import Fastify from 'fastify'
import routes from '@routeware/fastify'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '0.0.0.0'
const dir = new URL('../app', import.meta.url)

const app = Fastify({ logger: true })

// Every route file becomes a native Fastify route (see app.printRoutes()).
// Rejects, naming the file, if a route file does not load.
await app.register(routes, { dir })

// The host app's own routes live beside them.
app.get('/health', async (request, reply) => {
  reply.type('text/plain; charset=utf-8')
  return 'ok'
})

await app.listen({ port, host })
console.log(`Fastify + Routeware listening on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`)

// Shutdown: app.close() waits for requests in flight, then Routeware's onClose waits for after()
// tasks (at most shutdownTimeout, 10 s by default).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    app.close().then(() => process.exit(0))
  })
}
