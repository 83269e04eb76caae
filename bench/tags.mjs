/**
 * The tag-caching figures of issue #15: `node tags.mjs` from bench/ (redis-server on PATH).
 *
 * 1. Cached HIT (`GET /cached/123`, prerendered) from the Redis store on loopback vs the memory
 *    store, both `@routeware/fastify`, alternating rounds: req/s ratio and p99 of each.
 * 2. `revalidateTag` of a tag held by 10,000 entries on Redis: the time `revalidateTags` takes
 *    (one write per tag, whatever the number of entries), then a check that all 10,000 read as
 *    expired.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRedisStore } from '@routeware/core/redis'
import { pinSelf, treeCpuSeconds } from './lib/cpu.mjs'
import { createLoadGenerator } from './lib/load.mjs'
import { startChild } from './servers/_child.mjs'
import { fetchRaw, loadScenarios } from './servers/_scenarios.mjs'

const rounds = Number(process.env.BENCH_ROUNDS || 3)
const duration = Number(process.env.BENCH_DURATION || 3)
const connections = Number(process.env.BENCH_CONNECTIONS || 50)

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) }) })
const port = await freePort()
const dir = mkdtempSync(join(tmpdir(), 'routeware-bench-redis-'))
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] })
await new Promise((resolve) => { let out = ''; redis.stdout.on('data', (c) => { out += c; if (out.includes('Ready to accept connections')) resolve() }) })
const REDIS_URL = `redis://127.0.0.1:${port}`

try {
  // 2. revalidateTag over 10,000 entries.
  const store = await createRedisStore({ namespace: 'bench-tags', client: REDIS_URL, timeoutMs: 5000 })
  const entry = (i) => ({ status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(`{"i":${i}}`), createdAt: Date.now() - 1000, revalidate: false, tags: ['_N_T_/layout', `_N_T_/items/${i}`, 'bulk'] })
  for (let i = 0; i < 10000; i += 500) await Promise.all(Array.from({ length: 500 }, (_, j) => store.set(`/items/${i + j}`, entry(i + j), 3600)))
  const times = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    await store.revalidateTags(['bulk'], 0)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  let expired = 0
  for (let i = 0; i < 10000; i += 500) {
    const got = await Promise.all(Array.from({ length: 500 }, async (_, j) => {
      const e = await store.get(`/items/${i + j}`)
      const states = await store.getTags(e.tags)
      return states.some((s) => s && s.expired > e.createdAt && s.expired <= Date.now())
    }))
    expired += got.filter(Boolean).length
  }
  await store.close()
  console.log(`revalidateTag of a tag held by 10,000 entries on Redis: median ${times[2].toFixed(2)} ms (min ${times[0].toFixed(2)}, max ${times[4].toFixed(2)}); entries reading as expired afterwards: ${expired.toLocaleString('en-US')}`)

  // 1. HIT from Redis vs memory.
  const loadgen = createLoadGenerator()
  const pinning = pinSelf(loadgen.name)
  const scenario = loadScenarios.cached
  const memory = await startChild('routeware-fastify', { cpu: pinning.serverCpu })
  const onRedis = await startChild('routeware-fastify-redis', { cpu: pinning.serverCpu, env: { REDIS_URL } })
  try {
    for (const child of [memory, onRedis]) {
      await fetchRaw(child.port, scenario)
      const check = await fetchRaw(child.port, scenario)
      if (check.cache !== 'HIT') throw new Error(`expected a HIT, got ${check.cache}`)
    }
    const ratios = []
    const cpuRatios = []
    const rows = { memory: [], redis: [] }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [['redis', onRedis], ['memory', memory]] : [['memory', memory], ['redis', onRedis]]
      const got = {}
      for (const [name, child] of order) {
        await loadgen.run(child.port, scenario, 1, connections)
        const cpu0 = treeCpuSeconds(child.pid)
        const result = await loadgen.run(child.port, scenario, duration, connections)
        // Server CPU per request: much less sensitive to a loaded machine than req/s.
        result.cpuUs = ((treeCpuSeconds(child.pid) - cpu0) / result.requests) * 1e6
        got[name] = result
        rows[name].push(result)
      }
      ratios.push(got.redis.requests / got.redis.seconds / (got.memory.requests / got.memory.seconds))
      cpuRatios.push(got.memory.cpuUs / got.redis.cpuUs)
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    for (const name of ['memory', 'redis']) {
      const rs = rows[name]
      console.log(`${name}: ${Math.round(median(rs.map((x) => x.requests / x.seconds))).toLocaleString('en-US')} req/s, p99 ${median(rs.map((x) => x.p99))} ms, server CPU ${median(rs.map((x) => x.cpuUs)).toFixed(1)} µs/request, errors+non2xx ${rs.reduce((n, x) => n + x.errors + x.non2xx, 0)}`)
    }
    console.log(`Redis HIT / memory HIT (median of ${rounds} rounds): ${median(ratios).toFixed(2)}x req/s, ${median(cpuRatios).toFixed(2)}x requests per server CPU-second (${loadgen.description}, ${connections} connections, Node ${process.version})`)
  } finally {
    await memory.stop()
    await onRedis.stop()
    loadgen.dispose()
  }
} finally {
  redis.kill('SIGTERM')
  await new Promise((resolve) => redis.once('exit', resolve))
  rmSync(dir, { recursive: true, force: true })
}
