/**
 * Instructions per request, counted by Valgrind's callgrind: independent of the machine's load,
 * which makes it the measure for differences of a few percent on a shared machine.
 *
 *   node instructions.mjs [scenario] [contender...]     # default: get fastify fastify-beside
 *
 * Each contender runs in BENCH_IR_PROCS fresh processes (default 3) under `valgrind --tool=callgrind`
 * (`servers/_serve.mjs`, NODE_ENV=production). In each: start, BENCH_IR_WARMUP requests (default
 * 2,000), `callgrind_control -z` (counters to zero), BENCH_IR_N requests (default 3,000),
 * `callgrind_control -d` (dump), stop. Instructions per request = the dump's total / N: start-up,
 * imports and warm-up are not counted, and each process is measured on its own (two processes of
 * the same server can differ: see bench/README.md, "Issue 11, session 19"). Every thread of the
 * server counts. Requests come from this process over BENCH_CONNECTIONS keep-alive connections
 * (default 50, as wrk), each answer checked for the scenario's status.
 *
 * Also reported per process: the main thread's instructions per request (inclusive count of
 * `node::Start`: the other threads are V8's compilers and GC helpers), and those in V8's
 * `Runtime_DefineKeyedOwnPropertyInLiteral`, the runtime path of an object literal with computed
 * keys; non-zero when Node's `process.nextTick` builds its tick objects the slow way. Needs
 * `valgrind` and `callgrind_control` on PATH; about two minutes a process. BENCH_IR_KEEP=<dir>
 * keeps the callgrind files there (`callgrind_annotate <file>`).
 */
import { execFileSync, spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { contenders } from './servers/_contenders.mjs'
import { loadScenarios } from './servers/_scenarios.mjs'

const [scenarioName = 'get', ...named] = process.argv.slice(2)
const chosen = named.length > 0 ? named : ['fastify', 'fastify-beside']
const scenario = loadScenarios[scenarioName]
if (!scenario || chosen.some((name) => !contenders.includes(name))) {
  console.error(`usage: node instructions.mjs [${Object.keys(loadScenarios).join('|')}] [${contenders.join('|')}]...`)
  process.exit(2)
}
const warmup = Number(process.env.BENCH_IR_WARMUP || 2000)
const n = Number(process.env.BENCH_IR_N || 3000)
const procs = Number(process.env.BENCH_IR_PROCS || 3)
const connections = Number(process.env.BENCH_CONNECTIONS || 50)
const benchDir = fileURLToPath(new URL('.', import.meta.url))
const keep = process.env.BENCH_IR_KEEP
const tmp = keep || mkdtempSync(join(tmpdir(), 'routeware-ir-'))
const SLOW_LITERAL = 'Runtime_DefineKeyedOwnPropertyInLiteral'

/** One process of `name` under callgrind: instructions per request, and those of the slow literal path. */
async function measure(name, index) {
  const out = join(tmp, `${name}-${index}.out`)
  const args = ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, 'servers/_serve.mjs', name, '0']
  const proc = spawn('valgrind', args, { cwd: benchDir, env: { ...process.env, NODE_ENV: 'production', BENCH_PLUGIN_TIMEOUT: '600000' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  proc.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  try {
    const port = await new Promise((resolve, reject) => {
      let text = ''
      proc.stdout.on('data', (chunk) => {
        text += chunk
        const match = /^ready (\d+)$/m.exec(text)
        if (match) resolve(Number(match[1]))
      })
      proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr.slice(-2000)}`)))
    })
    const agent = new Agent({ keepAlive: true, maxSockets: connections })
    await send(port, agent, warmup)
    execFileSync('callgrind_control', ['-z', String(proc.pid)], { stdio: 'ignore' })
    await send(port, agent, n)
    execFileSync('callgrind_control', ['-d', String(proc.pid)], { stdio: 'ignore' })
    agent.destroy()
  } finally {
    proc.kill('SIGTERM')
    await exited
  }
  // The dump is `<out>.1` (the final one at exit, `<out>`, holds what followed it).
  const dump = readdirSync(tmp).map((f) => join(tmp, f)).find((f) => f.startsWith(`${out}.`))
  if (!dump) throw new Error(`no callgrind dump next to ${out}`)
  const totals = /^(?:totals|summary): (\d+)/m.exec(readFileSync(dump, 'utf8'))
  if (!totals) throw new Error(`no totals in ${dump}`)
  const annotated = execFileSync('callgrind_annotate', ['--threshold=100', dump], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const slow = annotated.split('\n').filter((line) => line.includes(SLOW_LITERAL)).reduce((sum, line) => sum + Number(/^\s*([\d,]+)/.exec(line)?.[1].replace(/,/g, '') ?? 0), 0)
  // The main thread alone: the inclusive count of `node::Start` (the other threads are V8's compilers and GC helpers).
  const inclusive = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', dump], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const main = Number(/^\s*([\d,]+).*node::Start\(/m.exec(inclusive)?.[1].replace(/,/g, '') ?? NaN)
  return { perRequest: Number(totals[1]) / n, slowLiteral: slow / n, mainThread: main / n }
}

/** `count` requests of the scenario over `connections` keep-alive connections. */
async function send(port, agent, count) {
  let next = 0
  // A keep-alive connection a node:http server closed while idle (its 5 s keepAliveTimeout can
  // pass while callgrind_control works under valgrind) resets: that request is sent again.
  const one = (retries = 3) =>
    new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: scenario.method, path: scenario.path, agent, headers: scenario.body ? { 'content-type': 'application/json' } : {} }, (res) => {
        res.resume()
        res.once('end', () => (res.statusCode === scenario.expected.status ? resolve() : reject(new Error(`status ${res.statusCode}`))))
      })
      req.once('error', (error) => (error.code === 'ECONNRESET' && retries > 0 ? one(retries - 1).then(resolve, reject) : reject(error)))
      req.end(scenario.body)
    })
  const worker = async () => {
    while (next++ < count) await one()
  }
  await Promise.all(Array.from({ length: Math.min(connections, count) }, worker))
}

const rows = []
try {
  for (const name of chosen) {
    for (let i = 0; i < procs; i++) {
      const r = await measure(name, i)
      rows.push({ name, ...r })
      console.error(`${name} #${i + 1}: ${Math.round(r.perRequest).toLocaleString('en-US')} instructions per request, ${Math.round(r.mainThread).toLocaleString('en-US')} on the main thread (${Math.round(r.slowLiteral).toLocaleString('en-US')} in ${SLOW_LITERAL})`)
    }
  }
} finally {
  if (!keep) rmSync(tmp, { recursive: true, force: true })
}
const fmt = (x) => Math.round(x).toLocaleString('en-US')
console.log(`\nNode ${process.version}, \`${scenario.method} ${scenario.path}\`, callgrind, ${connections} connections, ${warmup} warm-up requests, ${n} counted, ${procs} processes each\n`)
console.log(`| contender | instructions per request, each process | min | main thread, each process | min | in \`${SLOW_LITERAL}\`, each process |`)
console.log('| --- | --- | ---: | --- | ---: | --- |')
for (const name of chosen) {
  const mine = rows.filter((r) => r.name === name)
  console.log(`| ${name} | ${mine.map((r) => fmt(r.perRequest)).join(' / ')} | ${fmt(Math.min(...mine.map((r) => r.perRequest)))} | ${mine.map((r) => fmt(r.mainThread)).join(' / ')} | ${fmt(Math.min(...mine.map((r) => r.mainThread)))} | ${mine.map((r) => fmt(r.slowLiteral)).join(' / ')} |`)
}
