/**
 * What OpenTelemetry costs a GET, in CPU time per request, without a load generator's noise:
 * `node otel-cost.mjs` from bench/. Each `BENCH_OTEL` mode (`absent`, `noop`, `sdk`; see
 * servers/_otel.mjs) serves `GET /users/123` (app-next-response, `NextResponse.json`) through
 * `createHandler`'s node:http listener, called in a loop with in-memory `IncomingMessage` /
 * `ServerResponse` objects: Routeware's whole path minus the socket. Each round runs one fresh
 * process per mode, one after the other (pinned to CPU 0 when `taskset` allows); a process warms
 * up, then times `OTEL_COST_BLOCKS` blocks back to back and reports its median block; a mode's
 * figure is the median over rounds. (Processes kept alive and taking turns block by block were
 * tried: an idle process often came back twice as slow, whatever its mode.) No socket, no HTTP
 * parser: the base is smaller than a real server's, so the relative cost is an upper bound of what
 * a server pays.
 *
 * `node otel-cost.mjs --same-process` compares `absent` and `noop` in one process, free of
 * process-to-process differences: blocks alternate between Routeware's tracing module with the
 * API and without it (reset through its test hook, packages/core/dist/lifecycle/tracing.js); the
 * figure is the median of the per-turn ratios.
 *
 * env: OTEL_COST_ROUNDS (default 5), OTEL_COST_BLOCKS (per process, default 8; turns with
 * --same-process, default 40), OTEL_COST_SIZE (requests a block, default 5000), OTEL_COST_MODES
 * (default `absent,noop,sdk`).
 */
import { execFileSync, execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { inMemoryGet } from './lib/in-memory-get.mjs'
import { otelModes, otelNodeArgs } from './servers/_otel.mjs'

const size = Number(process.env.OTEL_COST_SIZE ?? 5000)
const rounds = Number(process.env.OTEL_COST_ROUNDS ?? 5)
const modes = (process.env.OTEL_COST_MODES ?? otelModes.join(',')).split(',').filter((m) => otelModes.includes(m))

if (process.argv[2] === '--child') await child()
else if (process.argv[2] === '--same-process') await sameProcess()
else await parent()

/** `block()` runs `size` GETs through the listener and resolves to the CPU time a request took, in ns. */
async function createBlock() {
  const { createHandler } = await import('@routeware/core')
  const { nextResponseAppDir } = await import('./servers/_dir.mjs')
  const handle = await createHandler({ dir: nextResponseAppDir })
  const once = () => inMemoryGet(handle)
  return async () => {
    const t0 = process.cpuUsage()
    for (let i = 0; i < size; i++) if ((await once()) !== 200) throw new Error('GET /users/123 did not answer 200')
    const t = process.cpuUsage(t0)
    return ((t.user + t.system) * 1000) / size
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** One process of one mode: warm up, time the blocks, print the median block. */
async function child() {
  const block = await createBlock()
  await block()
  await block()
  const ns = []
  for (let i = 0; i < Number(process.env.OTEL_COST_BLOCKS ?? 8); i++) ns.push(await block())
  process.stdout.write(`${median(ns).toFixed(1)}\n`)
}

async function parent() {
  pin()
  const run = promisify(execFile)
  const here = fileURLToPath(new URL('.', import.meta.url))
  /** @type {Map<string, number[]>} */
  const figures = new Map(modes.map((mode) => [mode, []]))
  console.log(`Node ${process.version}; ${rounds} rounds of one fresh process a mode, GET /users/123 through createHandler's listener`)
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const { stdout } = await run(process.execPath, [...otelNodeArgs(mode), fileURLToPath(import.meta.url), '--child'], { cwd: here, env: { ...process.env, NODE_ENV: 'production' } })
      figures.get(mode).push(Number(stdout.trim()))
    }
  }
  const base = median(figures.get('absent') ?? figures.get(modes[0]))
  console.log(`| mode | ns/request (median of ${rounds} processes) | each process | vs ${figures.has('absent') ? 'absent' : modes[0]} |`)
  console.log('| --- | --- | --- | --- |')
  for (const [mode, perProcess] of figures) {
    const m = median(perProcess)
    console.log(`| ${mode} | ${m.toFixed(0)} | ${perProcess.map((n) => n.toFixed(0)).join(', ')} | ${m >= base ? '+' : ''}${((m / base - 1) * 100).toFixed(1)}% |`)
  }
}

/** `absent` and `noop` in one process, block by block. */
async function sameProcess() {
  pin()
  const tracing = await import(new URL('../packages/core/dist/lifecycle/tracing.js', import.meta.url).href)
  const block = await createBlock()
  const use = async (withApi) => {
    tracing.resetTracing()
    await (withApi ? tracing.loadTracing() : tracing.loadTracing(() => Promise.reject(new Error('absent'))))
  }
  await use(true)
  await block() // warm-up, both paths
  await use(false)
  await block()
  const ratios = []
  const turns = Number(process.env.OTEL_COST_BLOCKS ?? 40)
  for (let turn = 0; turn < turns; turn++) {
    await use(false)
    const absent = await block()
    await use(true)
    ratios.push((await block()) / absent)
  }
  ratios.sort((a, b) => a - b)
  const pct = (r) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`
  const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(ratios.length * q))]
  console.log(`Node ${process.version}; one process, ${turns} turns of ${size} requests, API loaded (no SDK) vs not: median ${pct(at(0.5))} (quartiles ${pct(at(0.25))} .. ${pct(at(0.75))})`)
}

/** This process and its children on CPU 0 when taskset allows. */
function pin() {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
  } catch {
    // Unpinned: the modes still alternate.
  }
}
