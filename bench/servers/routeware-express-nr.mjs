/** `@routeware/express` serving bench/app-next-response (NextResponse.json) inside a plain Express 5 app. */
import express from 'express'
import routes from '@routeware/express'
import { createServer } from 'node:http'
import { nextResponseAppDir } from './_dir.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port */
export async function start(port) {
  const app = express()
  const middleware = routes(nextResponseAppDir)
  app.use(middleware)
  await middleware.ready()
  const server = await listen(createServer(app), port)
  return { port: server.port, close: async () => (await server.close(), await middleware.close()) }
}
