/** `@routeware/express` serving bench/app (global `Response.json`) inside a plain Express 5 app. */
import express from 'express'
import routes from '@routeware/express'
import { createServer } from 'node:http'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  const app = express()
  const t0 = performance.now()
  const middleware = routes(dir)
  app.use(middleware)
  await middleware.ready()
  const startupMs = performance.now() - t0
  const server = await listen(createServer(app), port)
  return { port: server.port, startupMs, close: async () => (await server.close(), await middleware.close()) }
}
