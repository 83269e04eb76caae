/**
 * What proxy.ts costs a GET, in CPU time per request, without a load generator's noise:
 * `node proxy-cost.mjs` from bench/. In one process, three apps of each host serve
 * `GET /users/123` (app-next-response, `NextResponse.json`): without a proxy, with a proxy whose
 * matcher misses (bench/proxy/miss.ts), and with one that matches and returns
 * `NextResponse.next()` (bench/proxy/next.ts). Requests are in-memory `IncomingMessage` /
 * `ServerResponse` objects handed to the host's own request handler (Fastify's `routing`,
 * Express's app function, createHandler's listener): the host's and Routeware's whole path minus
 * the socket and the HTTP parser. Blocks alternate between the three apps, turn after turn; a
 * figure is the median of the per-turn ratios to the app without a proxy. The base is smaller than
 * a real server's (no socket, no parser), so the relative cost is an upper bound.
 *
 * env: PROXY_COST_TURNS (default 30), PROXY_COST_SIZE (requests a block, default 3000),
 * PROXY_COST_HOSTS (default `fastify,express,handler`).
 */
import { execFileSync } from 'node:child_process'
import Fastify from 'fastify'
import express from 'express'
import routesFastify from '@routeware/fastify'
import routesExpress from '@routeware/express'
import { createHandler } from '@routeware/core'
import { nextResponseAppDir, proxyFiles } from './servers/_dir.mjs'
import { inMemoryGet as once } from './lib/in-memory-get.mjs'

const size = Number(process.env.PROXY_COST_SIZE ?? 3000)
const turns = Number(process.env.PROXY_COST_TURNS ?? 30)
const hosts = (process.env.PROXY_COST_HOSTS ?? 'fastify,express,handler').split(',')
const variants = { none: false, miss: proxyFiles.miss, next: proxyFiles.next }

/** A host's request listener `(req, res)` for one `proxy` option. */
const builders = {
  async fastify(proxy) {
    const app = Fastify({ logger: false })
    await app.register(routesFastify, { dir: nextResponseAppDir, proxy })
    await app.ready()
    return (req, res) => app.routing(req, res)
  },
  async express(proxy) {
    const app = express()
    const middleware = routesExpress({ dir: nextResponseAppDir, proxy })
    app.use(middleware)
    await middleware.ready()
    return app
  },
  async handler(proxy) {
    return createHandler({ dir: nextResponseAppDir, proxy })
  },
}


/** CPU time a request took over a block of `size`, in ns. */
async function block(listener) {
  const t0 = process.cpuUsage()
  for (let i = 0; i < size; i++) if ((await once(listener)) !== 200) throw new Error('GET /users/123 did not answer 200')
  const t = process.cpuUsage(t0)
  return ((t.user + t.system) * 1000) / size
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const quartile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]
const pct = (r) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`

try {
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
} catch {
  // Unpinned: the apps still alternate.
}
console.log(`Node ${process.version}; one process, ${turns} turns of ${size} requests per app, GET /users/123 (NextResponse.json)`)
console.log('| host | no proxy, ns/request | matcher misses | vs no proxy (median, quartiles) | matches, returns next() | vs no proxy (median, quartiles) |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const host of hosts) {
  const listeners = {}
  for (const [name, proxy] of Object.entries(variants)) listeners[name] = await builders[host](proxy)
  for (const name of Object.keys(variants)) for (let i = 0; i < 3; i++) await block(listeners[name]) // warm-up
  const ns = { none: [], miss: [], next: [] }
  const ratios = { miss: [], next: [] }
  for (let turn = 0; turn < turns; turn++) {
    const base = await block(listeners.none)
    ns.none.push(base)
    for (const name of ['miss', 'next']) {
      const t = await block(listeners[name])
      ns[name].push(t)
      ratios[name].push(t / base)
    }
  }
  const cell = (name) => `${pct(median(ratios[name]))} (${pct(quartile(ratios[name], 0.25))} .. ${pct(quartile(ratios[name], 0.75))})`
  console.log(`| ${host} | ${median(ns.none).toFixed(0)} | ${median(ns.miss).toFixed(0)} | ${cell('miss')} | ${median(ns.next).toFixed(0)} | ${cell('next')} |`)
}
process.exit(0)
