/**
 * A CPU profile of one start-up (`startup.mjs` in a fresh process with `--cpu-prof`), summed by
 * where the time went: `node startup-profile.mjs [contender] [routes] [runs]` from bench/. Prints,
 * per run and as the median over `runs`, the main thread's busy time by area (module loading,
 * GC, Fastify, avvio, Node's events, Routeware's core and adapter, ...) and the inclusive time of
 * a few functions that matter for start-up. Busy time counts the samples V8 took while the main
 * thread ran JavaScript, compiled or collected garbage; on a shared machine it moves less than
 * the wall clock does. The Node that runs this script runs the start-ups.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const [contender = 'routeware-fastify', count = '10000', runs = '1'] = process.argv.slice(2)
const script = fileURLToPath(new URL('./startup.mjs', import.meta.url))

/** Self time is put in the first area whose test its frame passes. */
const AREAS = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['program (V8 and Node native work outside JavaScript)', (f) => f.functionName === '(program)'],
  ['Node: ESM loader', (f) => /^node:internal\/modules\/(esm|package_json_reader|helpers|run_main)/.test(f.url)],
  ['Node: CJS loader', (f) => /^node:internal\/modules\/cjs/.test(f.url)],
  ['Node: fs', (f) => /^node:(internal\/)?fs/.test(f.url)],
  ['Node: events', (f) => /^node:events/.test(f.url)],
  ['Node: url/path', (f) => /^node:(internal\/)?(url|path)/.test(f.url)],
  ['Node: other', (f) => f.url.startsWith('node:')],
  ['route files (evaluation)', (f) => f.url.includes('/.gen/')],
  ['avvio', (f) => f.url.includes('/avvio/')],
  ['find-my-way', (f) => f.url.includes('/find-my-way/')],
  ['fastify', (f) => f.url.includes('/fastify/lib/') || f.url.endsWith('/fastify/fastify.js')],
  ['fast-glob & co', (f) => /\/(fast-glob|@nodelib|micromatch|picomatch|braces|fastq|merge2|glob-parent)\//.test(f.url)],
  ['jiti', (f) => f.url.includes('/jiti/')],
  ['Routeware core', (f) => f.url.includes('/packages/core/dist/') || f.url.includes('/@routeware/core/')],
  ['Routeware fastify adapter', (f) => f.url.includes('/packages/fastify/dist/')],
  ['Routeware express adapter', (f) => f.url.includes('/packages/express/dist/')],
  ['express & co', (f) => /\/(express|router|path-to-regexp)\//.test(f.url)],
  ['other', () => true],
]

/** Inclusive time of these frames (a frame counted once however deep it recurses). */
const INCLUSIVE = [
  ['Routeware: loadTable (scan, build, import, exports)', (f) => f.functionName === 'loadTable' && f.url.includes('load-table')],
  ['Routeware: readRouteTree (scan + build + order)', (f) => f.functionName === 'readRouteTree'],
  ['Routeware: scanAppDir (fast-glob)', (f) => f.functionName === 'scanAppDir'],
  ['Routeware: hasUseCacheDirective', (f) => f.functionName === 'hasUseCacheDirective'],
  ['Routeware: fastify plugin body', (f) => f.url.includes('/packages/fastify/dist/') && f.functionName === '' && f.lineNumber > 40],
  ['fastify: route()', (f) => f.functionName === 'route' && f.url.endsWith('/fastify/lib/route.js')],
  ['fastify: router.on (find-my-way insert)', (f) => f.functionName === 'on' && f.url.includes('/find-my-way/index.js')],
  ['events: removeListener', (f) => f.functionName === 'removeListener' && f.url === 'node:events'],
  ['avvio: all', (f) => f.url.includes('/avvio/')],
]

const profileOnce = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rw-startup-prof-'))
  try {
    const out = execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script, contender, count], { encoding: 'utf8' })
    const line = JSON.parse(out.split('\n').find((l) => l.startsWith('{')))
    const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))), 'utf8'))
    return { line, ...summarize(profile) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)))
  const areas = Object.fromEntries(AREAS.map(([name]) => [name, 0]))
  const inclusive = Object.fromEntries(INCLUSIVE.map(([name]) => [name, 0]))
  let busy = 0
  for (const [id, us] of self) {
    // A native function (no URL: readdir, open, compile) counts in the area of its caller.
    let at = id
    while (byId.get(at).callFrame.url === '' && !/^\(/.test(byId.get(at).callFrame.functionName) && parent.has(at)) at = parent.get(at)
    const frame = byId.get(at).callFrame
    const area = AREAS.find(([, test]) => test(frame))[0]
    areas[area] += us
    if (area !== 'idle') busy += us
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at).callFrame
      for (const [name, test] of INCLUSIVE) if (!seen.has(name) && test(f)) (seen.add(name), (inclusive[name] += us))
    }
  }
  return { busy, areas, inclusive }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (us) => `${(us / 1000).toFixed(0)} ms`.padStart(8)
const results = []
for (let i = 0; i < Number(runs); i++) {
  const r = profileOnce()
  results.push(r)
  console.log(`run ${i + 1}: start-up ${r.line.startupMs} ms (wall), main thread busy ${ms(r.busy)}`)
}
console.log(`\n${contender}, ${count} routes, ${process.version}, median of ${results.length} run(s)`)
console.log(`start-up (wall) ${median(results.map((r) => r.line.startupMs))} ms; main thread busy (whole process) ${ms(median(results.map((r) => r.busy)))}`)
console.log('\nself time by area:')
for (const [name] of AREAS) {
  const value = median(results.map((r) => r.areas[name]))
  if (value >= 5000) console.log(`${ms(value)}  ${name}`)
}
console.log('\ninclusive:')
for (const [name] of INCLUSIVE) console.log(`${ms(median(results.map((r) => r.inclusive[name])))}  ${name}`)
