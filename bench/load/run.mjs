/**
 * Load test (issue #7): autocannon on loopback against a mixed route tree (load/app) through
 * each adapter, every server in its own child process.
 *
 * Per adapter: warm-up, then LOAD_CONNECTIONS connections for LOAD_DURATION s (errors, timeouts,
 * unexpected statuses, p99, RSS after warm-up and after the run), then LOAD_AMOUNT requests with
 * the server's RSS sampled every second (flat within 10%). Every phase is bounded in time.
 *
 *   node load/run.mjs                      # from bench/, defaults below (~5-8 min on 2 CPUs)
 *   LOAD_ONLY=fastify LOAD_AMOUNT=100000 node load/run.mjs
 *
 * Writes the report to stdout and to load/results/latest.md.
 */
import autocannon from 'autocannon'
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'

const env = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]))
const CONNECTIONS = env('LOAD_CONNECTIONS', 1000)
const DURATION = env('LOAD_DURATION', 30)
const WARMUP = env('LOAD_WARMUP', 5)
const AMOUNT = env('LOAD_AMOUNT', 1_000_000)
/** Hard limit of the LOAD_AMOUNT phase, seconds: past it the run stops and says so. */
const AMOUNT_LIMIT = env('LOAD_AMOUNT_LIMIT', 600)
const ADAPTERS = (process.env.LOAD_ONLY ?? 'express,fastify').split(',')
const MB = 1024 * 1024

/**
 * The mix every connection cycles through, each with the one status it must answer. A status
 * outside the expected one is "unexpected"; 308/404/400 here are expected answers, not failures.
 */
export const REQUESTS = [
  { method: 'GET', path: '/', expect: 200 },
  { method: 'GET', path: '/users/123', expect: 200 },
  { method: 'GET', path: '/files/a/b/c.txt', expect: 200 },
  { method: 'POST', path: '/echo', headers: { 'content-type': 'application/json' }, body: '{"hello":"world","n":[1,2,3]}', expect: 200 },
  { method: 'GET', path: '/stream', expect: 200 },
  { method: 'GET', path: '/users/123/', expect: 308 },
  { method: 'GET', path: '/files//a/../b', expect: 308 },
  { method: 'GET', path: '/no/such/route', expect: 404 },
  { method: 'GET', path: '/users/%zz', expect: 400 },
]

/** Start `load/server.mjs <adapter>` in a child process. */
export async function startServer(adapter) {
  const child = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [adapter], {
    env: { ...process.env, NODE_ENV: 'production' },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port))
    child.once('exit', (code) => reject(new Error(`${adapter} server exited with ${code}`)))
  })
  /** Ask the child for one reading (`'rss'` or `'heap'`); it answers `{ [kind]: bytes }`. */
  const ask = (kind) =>
    new Promise((resolve) => {
      const onMessage = (m) => {
        if (m && typeof m[kind] === 'number') {
          child.off('message', onMessage)
          resolve(m[kind])
        }
      }
      child.on('message', onMessage)
      child.send(kind)
    })
  const rss = () => ask('rss')
  const heap = () => ask('heap')
  const close = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.send('close')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })
  return { port, rss, heap, close, alive: () => child.exitCode === null }
}

/**
 * One autocannon run over REQUESTS. `duration` (s) or `amount`; `limit` (s) stops it regardless.
 * Returns autocannon's result plus per-status counts and the unexpected answers.
 */
export async function load({ port, connections, duration, amount, limit, onTick }) {
  const statuses = {}
  const unexpected = {}
  const requests = REQUESTS.map(({ expect, ...request }) => ({
    ...request,
    onResponse: (status) => {
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status !== expect) {
        const key = `${request.method} ${request.path} -> ${status}`
        unexpected[key] = (unexpected[key] ?? 0) + 1
      }
    },
  }))
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    ...(amount ? { amount } : { duration }),
    requests,
    timeout: 10,
  })
  let stoppedByLimit = false
  const stopper = setTimeout(() => {
    stoppedByLimit = true
    instance.stop()
  }, limit * 1000)
  const ticker = onTick ? setInterval(onTick, 1000) : undefined
  const result = await instance
  clearTimeout(stopper)
  if (ticker) clearInterval(ticker)
  return { result, statuses, unexpected, stoppedByLimit }
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms))
const mb = (bytes) => (bytes / MB).toFixed(1)

async function runAdapter(adapter) {
  const server = await startServer(adapter)
  try {
    const rssStart = await server.rss()
    await load({ port: server.port, connections: CONNECTIONS, duration: WARMUP, limit: WARMUP + 30 })
    await wait(1000)
    const rssWarm = await server.rss()
    const heapWarm = await server.heap()

    const main = await load({ port: server.port, connections: CONNECTIONS, duration: DURATION, limit: DURATION + 60 })
    const rssAfterMain = await server.rss()
    await wait(2000)
    const rssSettled = await server.rss()
    const heapAfterMain = await server.heap()

    const samples = []
    const sampling = []
    const long = await load({
      port: server.port,
      connections: CONNECTIONS,
      amount: AMOUNT,
      limit: AMOUNT_LIMIT,
      onTick: () => sampling.push(server.rss().then((rss) => samples.push(rss))),
    })
    await Promise.all(sampling)
    const rssAfterLong = await server.rss()
    await wait(2000)
    const heapAfterLong = await server.heap()
    // Flat: after the first 10% of the samples (the heap growing to its working size under this
    // load), the samples stay within 10% of each other (`flat`); `flatVsWarm` compares them with
    // the RSS after the (shorter) warm-up instead.
    const steady = samples.length > 0 ? samples.slice(Math.floor(samples.length / 10)) : [rssAfterLong]
    const maxSteady = Math.max(...steady)
    const minSteady = Math.min(...steady)
    return {
      adapter,
      alive: server.alive(),
      heap: { warm: heapWarm, afterMain: heapAfterMain, afterLong: heapAfterLong },
      rss: { start: rssStart, warm: rssWarm, afterMain: rssAfterMain, settled: rssSettled, afterLong: rssAfterLong, minSteady, maxSteady, samples: samples.length },
      main,
      long,
      mainWithin10: rssAfterMain <= rssWarm * 1.1,
      flat: maxSteady <= minSteady * 1.1,
      flatVsWarm: maxSteady <= rssWarm * 1.1 && minSteady >= rssWarm * 0.9,
    }
  } finally {
    await server.close()
  }
}

function report(runs) {
  const lines = []
  lines.push(`Node ${process.version}, ${availableParallelism()} CPUs, ${new Date().toISOString().slice(0, 10)}; ${CONNECTIONS} connections; warm-up ${WARMUP} s; run ${DURATION} s; then ${AMOUNT.toLocaleString('en')} requests.`)
  lines.push('')
  lines.push(`| adapter | phase | requests | req/s | p50 ms | p99 ms | max ms | errors | timeouts | non-2xx (expected 308/404/400 included) | unexpected statuses |`)
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
  for (const run of runs) {
    for (const [phase, { result, unexpected, stoppedByLimit }] of [[`${DURATION} s`, run.main], [`${AMOUNT.toLocaleString('en')} req`, run.long]]) {
      const unexpectedText = Object.keys(unexpected).length === 0 ? '0' : Object.entries(unexpected).map(([k, v]) => `${k}: ${v}`).join('; ')
      lines.push(
        `| ${run.adapter} | ${phase}${stoppedByLimit ? ' (stopped at the time limit)' : ''} | ${result.requests.total.toLocaleString('en')} | ${Math.round(result.requests.average).toLocaleString('en')} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.max} | ${result.errors} | ${result.timeouts} | ${result.non2xx.toLocaleString('en')} | ${unexpectedText} |`,
      )
    }
  }
  lines.push('')
  lines.push('| adapter | RSS start | after warm-up | after the timed run | +2 s idle | during the long run (min-max, after its first 10%) | after the long run | timed run within 10% of warm-up | long run flat within 10% (of itself / of warm-up) | server alive |')
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |')
  for (const { adapter, rss, mainWithin10, flat, flatVsWarm, alive } of runs) {
    lines.push(`| ${adapter} | ${mb(rss.start)} MB | ${mb(rss.warm)} MB | ${mb(rss.afterMain)} MB | ${mb(rss.settled)} MB | ${mb(rss.minSteady)}-${mb(rss.maxSteady)} MB (${rss.samples} samples) | ${mb(rss.afterLong)} MB | ${mainWithin10 ? 'yes' : 'NO'} | ${flat ? 'yes' : 'NO'} / ${flatVsWarm ? 'yes' : 'NO'} | ${alive ? 'yes' : 'NO'} |`)
  }
  lines.push('')
  lines.push('| adapter | live heap after a full GC: after warm-up | after the timed run | after the long run |')
  lines.push('| --- | ---: | ---: | ---: |')
  for (const { adapter, heap } of runs) lines.push(`| ${adapter} | ${mb(heap.warm)} MB | ${mb(heap.afterMain)} MB | ${mb(heap.afterLong)} MB |`)
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = []
  for (const adapter of ADAPTERS) {
    process.stderr.write(`load: ${adapter}...\n`)
    runs.push(await runAdapter(adapter))
  }
  const text = report(runs)
  console.log(text)
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${dir}latest.md`, `${text}\n`)
  const failed = runs.some((r) => r.main.result.errors > 0 || Object.keys(r.main.unexpected).length > 0 || Object.keys(r.long.unexpected).length > 0 || r.long.result.errors > 0 || !r.alive)
  process.exitCode = failed ? 1 : 0
}
