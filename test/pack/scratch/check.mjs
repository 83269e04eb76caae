// Run inside the scratch app that test/pack/smoke.mjs installs from the packed tarballs: serve
// ./app through Express 5, Express 4, Fastify and createHandler's node:http listener, send real
// HTTP requests, check status and body. Prints one line per check and exits 1 if any failed.
//   node check.mjs            (Routeware's own loader compiles the .ts route files)
//   npx tsx check.mjs         (the host compiles TypeScript; Routeware uses plain import())
import { once } from 'node:events'
import { createServer } from 'node:http'
import express5 from 'express'
import express4 from 'express4'
import Fastify from 'fastify'
import { createHandler } from '@routeware/core'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'

const dir = new URL('./app', import.meta.url)
const runtime = `Node ${process.version}${process.argv.includes('--tsx') ? ' under tsx' : ''}`

/** Listen on a free loopback port; resolves to the origin. */
async function listen(server) {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${server.address().port}`
}

const closeServer = (server) => new Promise((resolve) => server.close(resolve))

function expressTarget(express) {
  return async () => {
    const app = express()
    const middleware = routesExpress({ dir })
    app.use(middleware)
    app.get('/health', (req, res) => res.type('text/plain').send('ok'))
    await middleware.ready()
    const server = createServer(app)
    const origin = await listen(server)
    return { origin, host: true, close: async () => (await closeServer(server), await middleware.close()) }
  }
}

const targets = {
  'Express 5': expressTarget(express5),
  'Express 4': expressTarget(express4),
  async Fastify() {
    const app = Fastify()
    await app.register(routesFastify, { dir })
    app.get('/health', async () => 'ok')
    await app.listen({ port: 0, host: '127.0.0.1' })
    return { origin: `http://127.0.0.1:${app.server.address().port}`, host: true, close: () => app.close() }
  },
  async 'createHandler (node:http)'() {
    const handle = await createHandler({ dir })
    const server = createServer(handle)
    const origin = await listen(server)
    return { origin, host: false, close: async () => (await closeServer(server), await handle.close()) }
  },
}

const checks = [
  ['GET /items/42?q=x', '/items/42?q=x', {}, 200, '{"id":"42","kind":"kind:item","q":"x"}'],
  ['POST /items/7 (JSON body)', '/items/7', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"n"}' }, 201, '{"id":"7","name":"n"}'],
  ['GET /hello', '/hello', {}, 200, 'hello from a route.ts'],
  ['DELETE /items/1 (405)', '/items/1', { method: 'DELETE' }, 405, ''],
]

let passed = 0
let failed = 0
const report = (ok, title, detail = '') => {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok' : 'not ok'} - ${title}${detail ? `: ${detail}` : ''}`)
}

for (const [name, start] of Object.entries(targets)) {
  let target
  try {
    target = await start()
  } catch (error) {
    report(false, `${name}, ${runtime}: start`, error?.stack ?? String(error))
    continue
  }
  const all = target.host ? [...checks, ['GET /health (the host app\'s own route)', '/health', {}, 200, 'ok']] : [...checks, ['GET /nowhere (404)', '/nowhere', {}, 404, '']]
  for (const [title, path, init, status, body] of all) {
    try {
      const response = await fetch(target.origin + path, { ...init, signal: AbortSignal.timeout(10_000) })
      const text = await response.text()
      const ok = response.status === status && text === body
      report(ok, `${name}, ${runtime}: ${title}`, ok ? '' : `expected ${status} ${JSON.stringify(body)}, got ${response.status} ${JSON.stringify(text)}`)
    } catch (error) {
      report(false, `${name}, ${runtime}: ${title}`, String(error))
    }
  }
  await target.close()
}

console.log(failed === 0 ? `all ${passed} checks passed` : `${failed} of ${passed + failed} checks failed`)
process.exit(failed === 0 ? 0 : 1)
