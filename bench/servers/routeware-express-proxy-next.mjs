/** `routeware-express-nr` with a proxy.ts (next: see bench/proxy/next.ts), given by the `proxy` option. */
import express from 'express'
import routes from '@routeware/express'
import { createServer } from 'node:http'
import { nextResponseAppDir, proxyFiles } from './_dir.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port */
export async function start(port) {
  const app = express()
  const middleware = routes({ dir: nextResponseAppDir, proxy: proxyFiles.next })
  app.use(middleware)
  await middleware.ready()
  const server = await listen(createServer(app), port)
  return { port: server.port, close: async () => (await server.close(), await middleware.close()) }
}
