/**
 * The Routeware benchmark: `npm run bench` (or `node run.mjs`) from bench/.
 *
 * Every server runs in its own child process pinned to CPU 0; the load generator (wrk when
 * installed, autocannon otherwise) runs on CPU 1. Load scenarios: each round starts every
 * contender fresh, in a rotated order, checks its answer byte for byte, warms it up, measures
 * it; ratios are per round, then the median over rounds (the cached HIT runs a subset of the
 * contenders by default). Then the route-count scenario (a tree
 * of BENCH_ROUTES routes vs one of 10) and the cold start (1,000 `route.ts`). See README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { execFileSync, execFile } from 'node:child_process'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { pinSelf, selfAndChildrenCpuSeconds, treeCpuSeconds } from './lib/cpu.mjs'
import { checkGoals, goalsTable } from './lib/goals.mjs'
import { coldTable, fmt, loadTable, median, ms, NOTES, pct, routeTable } from './lib/report.mjs'
import { createLoadGenerator } from './lib/load.mjs'
import { startChild } from './servers/_child.mjs'
import { contenders as allContenders, defaultScenarios, routeCountContenders, scenarioContenders } from './servers/_contenders.mjs'
import { hasCurrentNextBuild, ensureNextBuild, nextVersion } from './servers/_next-app.mjs'
import { otelModes, otelNodeArgs } from './servers/_otel.mjs'
import { differs, fetchRaw, loadScenarios } from './servers/_scenarios.mjs'
import { generateTree } from './servers/_tree.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const duration = positive('BENCH_DURATION', 3)
const rounds = positive('BENCH_ROUNDS', 2)
const warmup = positive('BENCH_WARMUP', 1)
const connections = positive('BENCH_CONNECTIONS', 50)
const routeCount = positive('BENCH_ROUTES', 10_000)
const COLD_FILES = 1000
const coldRounds = Math.max(rounds, 3)
const allScenarios = [...Object.keys(loadScenarios), 'routes', 'cold']
const scenarios = list('BENCH_SCENARIOS', allScenarios) ?? allScenarios
const only = list('BENCH_ONLY', allContenders)
const contenders = only ?? allContenders
const otel = list('BENCH_OTEL', otelModes)
// One mode: every child runs under it. Several: each Routeware contender runs once per mode, in the
// same rounds (labelled `routeware-handler [otel sdk]`); the plain servers run once, as installed.
const nodeArgs = otel?.length === 1 ? otelNodeArgs(otel[0]) : []
const variants = (contender) =>
  otel && otel.length > 1 && contender.startsWith('routeware')
    ? otel.map((mode) => ({ label: `${contender} [otel ${mode}]`, contender, nodeArgs: otelNodeArgs(mode) }))
    : [{ label: contender, contender, nodeArgs }]
const t0 = Date.now()

const loadgen = createLoadGenerator()
const pinning = pinSelf(loadgen.name)
process.on('exit', () => loadgen.dispose())
const major = process.versions.node.split('.')[0]
console.log(`Node ${process.version}; load generator: ${loadgen.description}`)
console.log(`pinning: ${pinning.note}`)
console.log(`scenarios: ${scenarios.join(', ')}; ${connections} connections, warm-up ${warmup} s, measure ${duration} s, ${rounds} rounds`)
if (otel) console.log(`OpenTelemetry: ${otel.join(', ')} (BENCH_OTEL)`)

/**
 * @typedef {{ round: number, rps: number, p99: number, errors: number, non2xx: number, serverCpu: number, clientCpu: number,
 *   bytesPerRequest: number, vsFastify?: number, vsExpress?: number, cpuVsFastify?: number }} Measure
 */
/** @type {Map<string, Map<string, Measure[]>>} scenario -> contender -> one measure per round */
const loadResults = new Map()
/** @type {Map<string, { small: Measure[], big: Measure[], startSmall: number, startBig: number, appSmall?: number, appBig?: number }>} */
const routeResults = new Map()
/** @type {{ cold: any[], warm: any[], scan: any[] } | undefined} */
let coldResults

if (contenders.includes('next') && scenarios.some((s) => s in loadScenarios) && !hasCurrentNextBuild()) {
  const { seconds } = ensureNextBuild()
  console.log(`next ${nextVersion}: built bench/.gen/next-app in ${seconds.toFixed(1)} s (not part of any measurement)`)
}

for (const scenario of scenarios.filter((s) => s in loadScenarios)) await runLoadScenario(scenario)
if (scenarios.includes('routes')) await runRouteScenario()
if (scenarios.includes('cold')) await runColdScenario()

const report = buildReport()
console.log(`\n${report}`)
const file = `# Routeware bench results\n\n${report}\n`
await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(new URL('./results/latest.md', import.meta.url), file)
// Only a run with default settings replaces the per-Node reference file the README quotes.
const reference = `results/node${major}.md`
const defaults = !Object.keys(process.env).some((name) => name.startsWith('BENCH_')) && !process.env.NODE_OPTIONS
if (defaults) await writeFile(new URL(`./${reference}`, import.meta.url), file)
console.log(`written: results/latest.md${defaults ? `, ${reference}` : ` (not ${reference}: non-default settings)`}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all`)

/** One load scenario: every contender, every round, fresh process each time, rotated order. */
async function runLoadScenario(name) {
  const scenario = loadScenarios[name]
  // A contender limited to some scenarios by default runs the others only when BENCH_ONLY names it.
  const names = contenders
    .filter((c) => only?.includes(c) || ((defaultScenarios[c] ?? [name]).includes(name) && (scenarioContenders[name]?.includes(c) ?? true)))
    .flatMap(variants)
  /** @type {Map<string, Measure[]>} */
  const results = new Map(names.map((c) => [c.label, []]))
  loadResults.set(name, results)
  console.log(`\n# ${name}: ${scenario.title}`)
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    console.log(`## ${name}, round ${round + 1}/${rounds}`)
    /** @type {Map<string, Measure>} */
    const thisRound = new Map()
    for (const { label, contender, nodeArgs } of order) {
      const child = await startChild(contender, { cpu: pinning.serverCpu, nodeArgs })
      try {
        await verify(label, child.port, scenario)
        const m = await measure(label, child, scenario, round)
        thisRound.set(label, m)
        results.get(label).push(m)
      } finally {
        await child.stop()
      }
    }
    const fastify = thisRound.get('fastify')
    const express = thisRound.get('express')
    for (const m of thisRound.values()) {
      m.vsFastify = fastify ? m.rps / fastify.rps : NaN
      m.vsExpress = express ? m.rps / express.rps : NaN
      m.cpuVsFastify = fastify ? m.rps / m.serverCpu / (fastify.rps / fastify.serverCpu) : NaN
    }
  }
}

/** The answer must be the scenario's bytes before anything is measured: fail loudly otherwise. */
async function verify(contender, port, scenario) {
  const why = differs(await fetchRaw(port, scenario), scenario.expected)
  if (why) throw new Error(`${contender} answers ${scenario.method} ${scenario.path} wrongly: ${why}`)
  const answer = await fetchRaw(port, scenario)
  if (scenario.name === 'cached' && contender.startsWith('routeware') && answer.cache !== 'HIT') {
    throw new Error(`${contender} answers ${scenario.path} with x-routeware-cache ${answer.cache}, expected HIT: the scenario would not measure the cache`)
  }
}

/** Warm up, then measure one server under load. @returns {Promise<Measure>} */
async function measure(label, child, target, round) {
  await loadgen.run(child.port, target, warmup, connections)
  const server0 = treeCpuSeconds(child.pid)
  const client0 = selfAndChildrenCpuSeconds()
  const w0 = process.hrtime.bigint()
  const r = await loadgen.run(child.port, target, duration, connections)
  const wall = Number(process.hrtime.bigint() - w0) / 1e9
  const client1 = selfAndChildrenCpuSeconds()
  const server1 = treeCpuSeconds(child.pid)
  /** @type {Measure} */
  const m = {
    round,
    rps: r.requests / r.seconds,
    p99: r.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    serverCpu: server0 === undefined || server1 === undefined ? NaN : (server1 - server0) / wall,
    clientCpu: (client1 - client0) / wall,
    bytesPerRequest: r.requests ? r.bytes / r.requests : NaN,
  }
  console.log(
    `  ${label.padEnd(26)} ${fmt(m.rps).padStart(7)} req/s  p99 ${ms(m.p99)}  errors ${m.errors} non-2xx ${m.non2xx}  ` +
      `cpu server ${pct(m.serverCpu)} client ${pct(m.clientCpu)}  ${fmt(m.rps / m.serverCpu)} req/CPU-s`,
  )
  return m
}

/**
 * Route count: each contender serves a tree of `routeCount` routes and one of 10, both alive for
 * the whole scenario (a 10,000-route start-up takes seconds), measured alternately each round.
 */
async function runRouteScenario() {
  const names = routeCountContenders.filter((c) => contenders.includes(c))
  console.log(`\n# routes: GET /users/123 in a tree of ${fmt(routeCount)} routes vs one of 10`)
  generateTree(10)
  generateTree(routeCount)
  const target = loadScenarios.get
  for (const contender of names) {
    const started = async (routes) => {
      const s0 = performance.now()
      const child = await startChild(contender, { cpu: pinning.serverCpu, routes, nodeArgs, timeoutMs: 300_000 })
      return { child, seconds: (performance.now() - s0) / 1000 }
    }
    const small = await started(10)
    const big = await started(routeCount).catch(async (error) => (await small.child.stop(), Promise.reject(error)))
    const entry = { small: [], big: [], startSmall: small.seconds, startBig: big.seconds, appSmall: small.child.startupMs, appBig: big.child.startupMs }
    routeResults.set(contender, entry)
    const app = (ms) => (ms === undefined ? '' : `; the app's own register + ready ${Math.round(ms)} ms`)
    console.log(`## ${contender}: ready in ${small.seconds.toFixed(1)} s (10 routes${app(entry.appSmall)}), ${big.seconds.toFixed(1)} s (${fmt(routeCount)} routes${app(entry.appBig)})`)
    try {
      await verify(`${contender} (10 routes)`, small.child.port, target)
      await verify(`${contender} (${routeCount} routes)`, big.child.port, target)
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? ['small', 'big'] : ['big', 'small']
        for (const which of order) {
          const { child } = which === 'small' ? small : big
          entry[which].push(await measure(`${contender} (${which === 'small' ? 10 : routeCount})`, child, target, round))
        }
      }
    } finally {
      await small.child.stop()
      await big.child.stop()
    }
  }
}

/**
 * Cold start of a tree of 1,000 `route.ts`: `createHandler` in a fresh process, first with the
 * transform cache rebuilt (a first start), then with it warm; and the scan alone (fast-glob).
 */
async function runColdScenario() {
  const dir = generateTree(COLD_FILES, { ext: 'ts', name: `cold-ts-${COLD_FILES}` })
  console.log(`\n# cold: createHandler over ${fmt(COLD_FILES)} route.ts files, ${coldRounds} rounds`)
  coldResults = { cold: [], warm: [], scan: [] }
  const run = promisify(execFile)
  const child = async (mode, env = {}) => {
    const args = [process.execPath, join(here, 'servers/_cold.mjs'), mode, dir]
    const [cmd, ...rest] = pinning.serverCpu === undefined ? args : ['taskset', '-c', String(pinning.serverCpu), ...args]
    const { stdout } = await run(cmd, rest, { cwd: here, env: { ...process.env, NODE_ENV: 'production', ...env } })
    return JSON.parse(stdout.trim().split('\n').at(-1))
  }
  for (let round = 0; round < coldRounds; round++) {
    const cold = await child('handler', { JITI_REBUILD_FS_CACHE: 'true' })
    const warm = await child('handler')
    const scan = await child('scan')
    coldResults.cold.push(cold)
    coldResults.warm.push(warm)
    coldResults.scan.push(scan)
    console.log(
      `  round ${round + 1}: createHandler ${Math.round(cold.createHandlerMs)} ms (CPU ${Math.round(cold.createHandlerCpuMs)} ms, transform cache rebuilt), ` +
        `${Math.round(warm.createHandlerMs)} ms (CPU ${Math.round(warm.createHandlerCpuMs)} ms, warm); process start to ready ${Math.round(cold.processReadyMs)} / ${Math.round(warm.processReadyMs)} ms; ` +
        `scan ${scan.scanMs.toFixed(1)} ms (${scan.files} files)`,
    )
  }
}

function buildReport() {
  const sections = [metadata()]
  const routeRatio = (contender, by = 'rps') => {
    const e = routeResults.get(contender)
    if (!e) return NaN
    return median(e.big.map((b, i) => value(b, by) / value(e.small[i], by)))
  }
  const ratio = (scenario, a, b, by = 'rps') => {
    const ra = loadResults.get(scenario)?.get(a)
    const rb = loadResults.get(scenario)?.get(b)
    if (!ra || !rb) return NaN
    return median(ra.map((m) => value(m, by) / value(rb.find((n) => n.round === m.round), by)))
  }
  const cold = coldResults && {
    coldMs: median(coldResults.cold.map((c) => c.createHandlerMs)),
    warmMs: median(coldResults.warm.map((c) => c.createHandlerMs)),
    scanMs: median(coldResults.scan.map((c) => c.scanMs)),
  }
  const startup = (contender) => routeResults.get(contender)?.appBig ?? NaN
  sections.push(`## Goals (medians of per-round ratios)\n\n${goalsTable(checkGoals({ ratio, routeRatio, startup, cold, routes: routeCount }))}`)
  for (const [name, results] of loadResults) {
    sections.push(`## ${name}: ${loadScenarios[name].title}\n\n${loadTable(results)}`)
  }
  if (routeResults.size > 0) sections.push(`## routes: GET /users/123, ${fmt(routeCount)} routes vs 10\n\n${routeTable(routeResults, routeRatio, routeCount)}`)
  if (coldResults) sections.push(`## cold: ${fmt(COLD_FILES)} route.ts files, fresh process each (median of ${coldRounds})\n\n${coldTable(coldResults)}`)
  sections.push(NOTES)
  return sections.join('\n\n')
}

function metadata() {
  const cpus = os.cpus()
  const env = ['BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_WARMUP', 'BENCH_CONNECTIONS', 'BENCH_ROUTES', 'BENCH_SCENARIOS', 'BENCH_ONLY', 'BENCH_LOADGEN', 'BENCH_OTEL']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`)
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (${os.platform()} ${os.release()} ${os.arch()})`,
    `- Node: ${process.version}`,
    `- command: \`${[...env, 'node', 'run.mjs'].join(' ')}\` from bench/ (node = ${process.execPath}), ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    `- load: ${loadgen.description}, ${connections} keep-alive connections, no pipelining, warm-up ${warmup} s, measured ${duration} s, ${rounds} rounds`,
    `- pinning: ${pinning.note}`,
    `- code: ${revision()}; Next.js ${nextVersion}`,
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

function value(m, by) {
  return by === 'cpu' ? m.rps / m.serverCpu : m.rps
}
/** A comma-separated env list, each name checked against `known`; undefined when unset. */
function list(name, known) {
  const raw = process.env[name]
  if (!raw) return undefined
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = names.filter((n) => !known.includes(n))
  if (unknown.length > 0) fail(`${name}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`)
  return names
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
