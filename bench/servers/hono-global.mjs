/**
 * Hono 4 on @hono/node-server with its DEFAULT `overrideGlobalObjects: true`: it replaces the
 * global Request and Response with its own light classes (forbidden for Routeware; for reference).
 */
import { createHonoApp } from './_hono-app.mjs'
import { serveHono } from './_hono-serve.mjs'

/** @param {number} port */
export function start(port) {
  return serveHono(createHonoApp(), port, true)
}
