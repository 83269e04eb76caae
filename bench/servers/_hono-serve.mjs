/** `serve()` from @hono/node-server as a contender: `{ port, close() }` once it listens. */
import { serve } from '@hono/node-server'

/**
 * @param {import('hono').Hono} app
 * @param {number} port
 * @param {boolean} overrideGlobalObjects
 */
export function serveHono(app, port, overrideGlobalObjects) {
  return new Promise((resolve, reject) => {
    const server = /** @type {import('node:http').Server} */ (
      serve({ fetch: app.fetch, port, hostname: '127.0.0.1', overrideGlobalObjects }, (info) => {
        resolve({
          port: info.port,
          close: () =>
            new Promise((done) => {
              server.closeAllConnections?.()
              server.close(() => done())
            }),
        })
      })
    )
    server.once('error', reject)
  })
}
