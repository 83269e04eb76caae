/** Hono 4 on @hono/node-server with `overrideGlobalObjects: false`: the global Request/Response stay Node's. */
import { createHonoApp } from './_hono-app.mjs'
import { serveHono } from './_hono-serve.mjs'

/** @param {number} port */
export function start(port) {
  return serveHono(createHonoApp(), port, false)
}
