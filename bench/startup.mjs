/**
 * Start-up of one contender over a generated tree, in this (fresh) process: prints the
 * contender's own start-up time (Fastify: `register` + `ready`; Express: `ready()`), then exits.
 *
 *   node startup.mjs routeware-fastify 10000
 *   node startup.mjs routeware-express 10000
 *
 * Repeat it in fresh processes, alternating contenders, and take medians (the `routes` scenario
 * of run.mjs measures the same start-up once per run). The tree is generated (and kept) under
 * bench/.gen by the first call: run once before timing.
 */
const [contender = 'routeware-fastify', count = '10000'] = process.argv.slice(2)
const { start } = await import(`./servers/${contender}.mjs`)
const t0 = performance.now()
const server = await start(0, { routes: Number(count) })
const total = performance.now() - t0
console.log(JSON.stringify({ contender, routes: Number(count), node: process.version, startupMs: Math.round(server.startupMs), totalMs: Math.round(total) }))
await server.close()
process.exit(0)
