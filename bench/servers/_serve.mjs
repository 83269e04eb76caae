/**
 * Child-process entry of the bench: `node servers/_serve.mjs <contender> <port> [routes]`.
 * Starts one contender (with `routes`, the route-count scenario's tree of that many routes),
 * prints `ready <port>` on stdout, closes on SIGTERM.
 */
const [name, portArg = '0', routesArg] = process.argv.slice(2)
if (!name || !/^[a-z-]+$/.test(name) || (routesArg !== undefined && !/^\d+$/.test(routesArg))) {
  console.error('usage: node servers/_serve.mjs <contender> [port] [routes]')
  process.exit(2)
}
const { start } = await import(`./${name}.mjs`)
const server = await start(Number(portArg), routesArg === undefined ? {} : { routes: Number(routesArg) })
// Start-up of the app itself (Routeware's register + ready(), or plain Fastify's routes + ready()), without Node's boot and imports.
if (server.startupMs !== undefined) process.stdout.write(`startup ${server.startupMs}\n`)
process.stdout.write(`ready ${server.port}\n`)

let closing = false
const shutdown = async () => {
  if (closing) return
  closing = true
  await server.close()
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
