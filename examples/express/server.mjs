// Express 5 serving ../app with Routeware, next to an ordinary Express route.
//   PORT=3000 HOST=0.0.0.0 node examples/express/server.mjs
import express from 'express'
import routes from '@routeware/express'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '0.0.0.0'
const dir = new URL('../app', import.meta.url)

const app = express()

// Mount Routeware before any body parser, so handlers read the untouched request body.
const routeware = routes({ dir })
app.use(routeware)

// The host app's own routes keep working: paths with no route file fall through (next()).
app.get('/health', (req, res) => {
  res.type('text/plain').send('ok')
})

// Fail fast if a route file does not load (the error names the file).
await routeware.ready()

const server = app.listen(port, host, () => {
  console.log(`Express + Routeware listening on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`)
})

// Shutdown: stop accepting, let requests in flight finish, then wait for after() tasks
// (routeware.close() waits at most shutdownTimeout, 10 s by default).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(() => routeware.close().then(() => process.exit(0)))
    server.closeIdleConnections?.()
  })
}
