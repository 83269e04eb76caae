/**
 * CPU profile of one contender under one load scenario: `node profile.mjs [contender] [scenario]`
 * (default `routeware-fastify get`) from bench/. The server runs pinned to CPU 0 with `--cpu-prof`,
 * the load generator on CPU 1, 2 s warm-up then BENCH_DURATION seconds (default 10). Writes
 * `profiles/<contender>-<scenario>-node<major>.cpuprofile` (open it in Chrome DevTools or
 * speedscope) and prints, and writes next to it as `.md`, the top self-time functions of the
 * measured window in µs per request.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pinSelf } from './lib/cpu.mjs'
import { createLoadGenerator } from './lib/load.mjs'
import { startChild } from './servers/_child.mjs'
import { contenders } from './servers/_contenders.mjs'
import { differs, fetchRaw, loadScenarios } from './servers/_scenarios.mjs'

const [contender = 'routeware-fastify', scenarioName = 'get'] = process.argv.slice(2)
const scenario = loadScenarios[scenarioName]
if (!contenders.includes(contender) || !scenario) {
  console.error(`usage: node profile.mjs [${contenders.join('|')}] [${Object.keys(loadScenarios).join('|')}]`)
  process.exit(2)
}
const duration = Number(process.env.BENCH_DURATION || 10)
const connections = Number(process.env.BENCH_CONNECTIONS || 50)
const TOP = 25

const loadgen = createLoadGenerator()
const pinning = pinSelf(loadgen.name)
const tmp = mkdtempSync(join(tmpdir(), 'routeware-prof-'))
const child = await startChild(contender, { cpu: pinning.serverCpu, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${tmp}`] })
let requests
/** The measured window on the monotonic clock, in µs (V8 profile timestamps use the same clock). @type {[number, number]} */
let window
try {
  const why = differs(await fetchRaw(child.port, scenario), scenario.expected)
  if (why) throw new Error(`${contender} answers ${scenario.method} ${scenario.path} wrongly: ${why}`)
  await loadgen.run(child.port, scenario, 2, connections)
  const start = process.hrtime.bigint() / 1000n
  const r = await loadgen.run(child.port, scenario, duration, connections)
  window = [Number(start), Number(process.hrtime.bigint() / 1000n)]
  requests = r.requests
  console.log(`${contender} ${scenarioName}: ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} req/s under the profiler (${loadgen.description})`)
} finally {
  await child.stop()
  loadgen.dispose()
}

const written = readdirSync(tmp).find((f) => f.endsWith('.cpuprofile'))
if (!written) throw new Error(`no .cpuprofile in ${tmp}: the server did not exit cleanly`)
const outDir = fileURLToPath(new URL('./profiles/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const base = `${contender}-${scenarioName}-node${process.versions.node.split('.')[0]}`
renameSync(join(tmp, written), join(outDir, `${base}.cpuprofile`))
rmSync(tmp, { recursive: true, force: true })

const summary = summarize(JSON.parse(readFileSync(join(outDir, `${base}.cpuprofile`), 'utf8')), window, requests)
const md = `# ${base}\n\n- ${new Date().toISOString()}, Node ${process.version}, ${loadgen.description}, ${connections} connections, ${duration} s measured after 2 s warm-up\n- \`${scenario.method} ${scenario.path}\`: ${requests.toLocaleString('en-US')} requests in the window\n\n${summary}\n`
writeFileSync(join(outDir, `${base}.md`), md)
console.log(`\n${md}\nwritten: profiles/${base}.cpuprofile, profiles/${base}.md`)

/**
 * Self time per function inside the measured window (all samples when the clocks disagree),
 * in µs per request, and the same grouped by where the code lives.
 */
function summarize(profile, [from, to], count) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map()
  let t = profile.startTime
  let inWindow = 0
  const all = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]
    const dt = profile.timeDeltas[i + 1] ?? 0
    const id = profile.samples[i]
    all.set(id, (all.get(id) ?? 0) + dt)
    if (t >= from && t <= to) {
      selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
      inWindow++
    }
  }
  const source = inWindow > 0 ? selfUs : all
  const fns = new Map()
  const areas = new Map()
  let busy = 0
  for (const [id, us] of source) {
    const { callFrame: f } = byId.get(id)
    if (f.functionName === '(idle)') continue
    busy += us
    const key = `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`
    fns.set(key, (fns.get(key) ?? 0) + us)
    const area = areaOf(f)
    areas.set(area, (areas.get(area) ?? 0) + us)
  }
  const per = (us) => (us / count).toFixed(2)
  const share = (us) => `${((us / busy) * 100).toFixed(1)}%`
  const rows = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `| ${k.replaceAll('|', '\\|')} | ${per(us)} | ${share(us)} |`)
      .join('\n')
  return [
    `busy (not idle) CPU: ${per(busy)} µs per request${inWindow > 0 ? '' : ' (whole profile: the measured window matched no sample)'}`,
    `\n## Self time by area\n\n| area | µs/request | share of busy |\n| --- | --- | --- |\n${rows(areas, 20)}`,
    `\n## Top ${TOP} functions by self time\n\n| function | µs/request | share of busy |\n| --- | --- | --- |\n${rows(fns, TOP)}`,
  ].join('\n')
}

function shortUrl(url) {
  if (!url) return ''
  const nm = url.lastIndexOf('node_modules/')
  if (nm !== -1) return url.slice(nm + 'node_modules/'.length)
  const pk = url.indexOf('/packages/')
  if (pk !== -1) return url.slice(pk + 1)
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/')
}

function areaOf(f) {
  const url = f.url
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native / builtin)'
  if (url.includes('internal/deps/undici')) return 'undici (Request/Response/Headers/body)'
  // Node 20 makes every web stream transferable when it is created (dropped in Node 22).
  if (url.includes('internal/worker/js_transferable')) return 'web streams: makeTransferable (Node 20)'
  if (/node:internal\/webstreams|internal\/webstreams/.test(url)) return 'web streams'
  if (url.startsWith('node:') || !url.includes('/')) return `node: ${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`
  const nm = url.lastIndexOf('node_modules/')
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
    return pkg
  }
  const pk = /\/packages\/([^/]+)\//.exec(url)
  if (pk) return `@routeware/${pk[1]}`
  return shortUrl(url)
}
