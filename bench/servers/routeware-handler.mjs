/**
 * `createHandler` from `@routeware/core` on node:http, as its README shows:
 * `http.createServer(handle)`. The handler is also a node:http listener, so the Node request is
 * served directly (as Hono's `@hono/node-server` does for Hono), with no `Request` or `Response`
 * built unless the route file asks for one.
 */
import { createServer } from 'node:http'
import { createHandler } from '@routeware/core'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  const t0 = performance.now()
  const handle = await createHandler({ dir })
  const startupMs = performance.now() - t0
  return { ...(await listen(createServer(handle), port)), startupMs }
}
