/** Listen a node:http server on 127.0.0.1 and hand back `{ port, close() }`. */

/**
 * @param {import('node:http').Server} server
 * @param {number} port 0 for an ephemeral port
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      const address = /** @type {import('node:net').AddressInfo} */ (server.address())
      resolve({
        port: address.port,
        close: () =>
          new Promise((done) => {
            // Keep-alive sockets from the load generator would hold close() open.
            server.closeAllConnections?.()
            server.close(() => done())
          }),
      })
    })
  })
}
