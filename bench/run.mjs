/**
 * The Routeware benchmark: `npm run bench` (or `node run.mjs`) from bench/.
 *
 * Every contender runs in its own child process pinned to CPU 0; autocannon runs here, pinned
 * to CPU 1, so client and server never share a core. Each round starts every contender fresh,
 * in a rotated order, warms it up, measures it, and compares it with plain Fastify and plain
 * Express measured in the same round. Env: BENCH_DURATION (s, default 5), BENCH_ROUNDS (3),
 * BENCH_WARMUP (s, 2), BENCH_CONNECTIONS (50), BENCH_ONLY (comma-separated contender names).
 */
import autocannon from 'autocannon'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { contenders as allContenders } from './servers/_contenders.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const duration = positive('BENCH_DURATION', 5)
const rounds = positive('BENCH_ROUNDS', 3)
const warmup = positive('BENCH_WARMUP', 2)
const connections = positive('BENCH_CONNECTIONS', 50)
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean)
const contenders = only ? allContenders.filter((name) => only.includes(name)) : allContenders
if (only && contenders.length !== only.length) fail(`BENCH_ONLY names an unknown contender; known: ${allContenders.join(', ')}`)
const PATH = '/users/123'
const START_TIMEOUT_MS = 15_000
const autocannonVersion = createRequire(import.meta.url)('autocannon/package.json').version
const clockTicks = readClockTicks()
const NOTES = `req/s = completed requests / measured seconds; p99 = autocannon's 99th percentile latency;
errors (connection errors + timeouts) and non-2xx are summed over all rounds, the rest are medians.
Ratios are per round (contender req/s ÷ plain Fastify or plain Express req/s of the same round),
then the median over rounds. CPU columns are CPU-seconds per wall-second (100% = one core busy):
a server well under 100% while the client is not saturated means something else took CPU 0 (a
noisy machine), a client near 100% means autocannon may be the limit for that row. req/CPU-s =
req/s ÷ server CPU, the cost of a request; it is much less sensitive to stolen CPU than req/s.`

const pinning = pinSelf()
console.log(`${contenders.length} contenders x ${rounds} rounds, ${connections} connections, warm-up ${warmup} s, measure ${duration} s`)
console.log(`pinning: ${pinning.note}`)

/** @type {Map<string, Array<Measure>>} */
const results = new Map(contenders.map((name) => [name, []]))
for (let round = 0; round < rounds; round++) {
  // Rotate the order every round so no contender always runs first (cold machine) or last.
  const order = contenders.map((_, i) => contenders[(i + round) % contenders.length])
  console.log(`\n## Round ${round + 1}/${rounds}: ${order.join(', ')}`)
  /** @type {Map<string, Measure>} */
  const thisRound = new Map()
  for (const name of order) {
    const measure = await bench(name)
    thisRound.set(name, measure)
    results.get(name).push(measure)
  }
  for (const [name, m] of thisRound) {
    m.vsFastify = ratio(m, thisRound.get('fastify'))
    m.vsExpress = ratio(m, thisRound.get('express'))
    const fastify = thisRound.get('fastify')
    m.cpuVsFastify = fastify ? m.rps / m.serverCpu / (fastify.rps / fastify.serverCpu) : NaN
  }
  console.log(roundTable(order, thisRound))
}

const summary = summaryTable()
const meta = metadata()
console.log(`\n## Summary (median over ${rounds} rounds)\n\n${summary}\n`)
const report = `# Routeware bench results\n\n${meta}\n\n${summary}\n\n${NOTES}\n`
await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(new URL('./results/latest.md', import.meta.url), report)
// Only a run with default settings replaces the per-Node reference file the README quotes.
const reference = `results/node${process.versions.node.split('.')[0]}.md`
const defaults = !Object.keys(process.env).some((name) => name.startsWith('BENCH_')) && !process.env.NODE_OPTIONS
if (defaults) await writeFile(new URL(`./${reference}`, import.meta.url), report)
console.log(`written: results/latest.md${defaults ? `, ${reference}` : ` (not ${reference}: non-default settings)`}`)

/**
 * @typedef {{ rps: number, p99: number, p50: number, errors: number, non2xx: number,
 *   serverCpu: number, clientCpu: number, vsFastify?: number, vsExpress?: number, cpuVsFastify?: number }} Measure
 */

/** Start one contender in a pinned child, warm it up, measure it, stop it. @returns {Promise<Measure>} */
async function bench(name) {
  const child = await startChild(name)
  try {
    const url = `http://127.0.0.1:${child.port}${PATH}`
    await load(url, warmup)
    const cpu0 = procCpuSeconds(child.pid)
    const client0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const r = await load(url, duration)
    const wall = Number(process.hrtime.bigint() - t0) / 1e9
    const client = process.cpuUsage(client0)
    const cpu1 = procCpuSeconds(child.pid)
    const measure = {
      rps: r.requests.total / r.duration,
      p99: r.latency.p99,
      p50: r.latency.p50,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      serverCpu: cpu0 === undefined || cpu1 === undefined ? NaN : (cpu1 - cpu0) / wall,
      clientCpu: (client.user + client.system) / 1e6 / wall,
    }
    console.log(
      `  ${name.padEnd(18)} ${fmt(measure.rps).padStart(7)} req/s  p99 ${measure.p99} ms  ` +
        `errors ${measure.errors} non-2xx ${measure.non2xx}  cpu server ${pct(measure.serverCpu)} client ${pct(measure.clientCpu)}  ` +
        `${fmt(measure.rps / measure.serverCpu)} req/CPU-s`,
    )
    return measure
  } finally {
    await child.stop()
  }
}

/** One autocannon run against `url` for `seconds`, keep-alive, no pipelining. */
function load(url, seconds) {
  return autocannon({ url, connections, duration: seconds, pipelining: 1, timeout: 10 })
}

/** `node servers/_serve.mjs <name> 0` on CPU 0; resolves with its port once it prints `ready`. */
function startChild(name) {
  const serve = fileURLToPath(new URL('./servers/_serve.mjs', import.meta.url))
  const args = [process.execPath, serve, name, '0']
  const [cmd, ...rest] = pinning.server ? ['taskset', '-c', '0', ...args] : args
  const env = { ...process.env, NODE_ENV: 'production' }
  const proc = spawn(cmd, rest, { cwd: here, env, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`))
    }, START_TIMEOUT_MS)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with code ${code} before it was ready`))
    })
    proc.stdout.on('data', (chunk) => {
      out += chunk
      const match = /ready (\d+)/.exec(out)
      if (!match) return
      clearTimeout(timer)
      proc.stdout.resume()
      resolve({
        port: Number(match[1]),
        // taskset execs node, so the child's pid is the server's pid.
        pid: proc.pid,
        stop: async () => {
          proc.kill('SIGTERM')
          const kill = setTimeout(() => proc.kill('SIGKILL'), 3000)
          await exited
          clearTimeout(kill)
        },
      })
    })
  })
}

/** Pin this process (all its threads) to CPU 1 and plan to pin servers to CPU 0, when possible. */
function pinSelf() {
  if (os.availableParallelism() < 2) return { server: false, note: 'off (fewer than 2 CPUs): client and server share the CPU' }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' })
    return { server: true, note: 'servers on CPU 0 (`taskset -c 0 node servers/_serve.mjs ...`), autocannon on CPU 1 (`taskset -a -p -c 1 <pid>` on this process)' }
  } catch {
    return { server: false, note: 'off (taskset missing or refused): client and server are scheduled freely' }
  }
}

/** utime + stime of a process in seconds, from /proc (Linux); undefined elsewhere. */
function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / clockTicks
  } catch {
    return undefined
  }
}

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat CPU times. */
function readClockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
}

function summaryTable() {
  const rows = contenders.map((name) => {
    const ms = results.get(name)
    return [
      name,
      fmt(median(ms.map((m) => m.rps))),
      `${median(ms.map((m) => m.p99))} ms`,
      String(ms.reduce((n, m) => n + m.errors + m.non2xx, 0)),
      x(median(ms.map((m) => m.vsFastify))),
      x(median(ms.map((m) => m.vsExpress))),
      pct(median(ms.map((m) => m.serverCpu))),
      pct(median(ms.map((m) => m.clientCpu))),
      fmt(median(ms.map((m) => m.rps / m.serverCpu))),
      x(median(ms.map((m) => m.cpuVsFastify))),
    ]
  })
  const head = ['contender', 'req/s', 'p99', 'errors + non-2xx', 'vs Fastify', 'vs Express', 'server CPU', 'client CPU', 'req/CPU-s', 'req/CPU-s vs Fastify']
  return markdown(head, rows)
}

function roundTable(order, measures) {
  const rows = order.map((name) => {
    const m = measures.get(name)
    return [name, fmt(m.rps), `${m.p99} ms`, `${m.errors}/${m.non2xx}`, x(m.vsFastify), x(m.vsExpress)]
  })
  return markdown(['contender', 'req/s', 'p99', 'errors/non-2xx', 'vs Fastify', 'vs Express'], rows)
}

function metadata() {
  const cpus = os.cpus()
  const env = [
    process.env.BENCH_DURATION && `BENCH_DURATION=${duration}`,
    process.env.BENCH_ROUNDS && `BENCH_ROUNDS=${rounds}`,
    process.env.BENCH_WARMUP && `BENCH_WARMUP=${warmup}`,
    process.env.BENCH_CONNECTIONS && `BENCH_CONNECTIONS=${connections}`,
    process.env.BENCH_ONLY && `BENCH_ONLY=${process.env.BENCH_ONLY}`,
  ].filter(Boolean)
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (${os.platform()} ${os.release()} ${os.arch()})`,
    `- Node: ${process.version}`,
    `- command: \`${[...env, 'node', 'run.mjs'].join(' ')}\` from bench/ (node = ${process.execPath})`,
    `- load: autocannon ${autocannonVersion}, ${connections} connections, keep-alive, no pipelining, \`GET ${PATH}\`, warm-up ${warmup} s, measured ${duration} s, ${rounds} rounds`,
    `- pinning: ${pinning.note}`,
    `- code: ${revision()}`,
  ].join('\n')
}

/** The commit measured, flagging uncommitted changes to the packages (others may be editing them). */
function revision() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = git('status', '--porcelain', '--', '../packages') !== ''
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in packages/' : ''} (packages run from their dist/)`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

function markdown(head, rows) {
  const lines = [head, head.map(() => '---'), ...rows]
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

function ratio(m, base) {
  return base ? m.rps / base.rps : NaN
}

function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US')
}
function x(n) {
  return Number.isNaN(n) ? 'n/a' : `${n.toFixed(2)}x`
}
function pct(n) {
  return Number.isNaN(n) ? 'n/a' : `${Math.round(n * 100)}%`
}

function positive(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) fail(`${name} must be a positive number, got ${JSON.stringify(raw)}`)
  return n
}

function fail(message) {
  console.error(message)
  process.exit(2)
}
