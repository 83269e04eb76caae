/**
 * Instructions per request of one contender under one scenario, counted by valgrind's callgrind:
 * `node callgrind.mjs [contender] [scenario] [requests]` from bench/ (default `routeware-fastify
 * cached 5000`). The server runs under `valgrind --tool=callgrind` (servers/_serve.mjs); after a
 * warm-up the counters are zeroed (`callgrind_control -z`), `requests` requests go one at a time
 * over one keep-alive connection, and the counters are dumped (`callgrind_control -d`): the server's
 * instructions for exactly those requests, divided by their number. Instruction counts do not
 * depend on what else the machine runs, so two contenders compare on a loaded machine where
 * wall-clock ratios do not.
 */
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request, Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadScenarios } from './servers/_scenarios.mjs'

const [contender = 'routeware-fastify', scenarioName = 'cached', countArg = '5000'] = process.argv.slice(2)
const scenario = loadScenarios[scenarioName]
if (!scenario) throw new Error(`unknown scenario ${scenarioName}`)
const count = Number(countArg)
const dir = mkdtempSync(join(tmpdir(), 'routeware-callgrind-'))
const serve = fileURLToPath(new URL('./servers/_serve.mjs', import.meta.url))
const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out.%p')}`, process.execPath, '--single-threaded-gc', serve, contender, '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production', BENCH_PLUGIN_TIMEOUT: '600000' } })
let output = ''
child.stderr.on('data', (chunk) => (output += chunk))
const port = await new Promise((resolve, reject) => {
  let out = ''
  child.stdout.on('data', (chunk) => {
    out += chunk
    const found = /ready (\d+)/.exec(out)
    if (found) resolve(Number(found[1]))
  })
  child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)))
})
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
const one = () =>
  new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: scenario.path, method: scenario.method, agent, headers: scenario.headers }, (res) => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('error', reject)
    req.end(scenario.body)
  })
const run = async (n) => {
  for (let i = 0; i < n; i++) await one()
}
await run(Math.max(2000, count / 2))
execFileSync('callgrind_control', ['-z', String(child.pid)])
await run(count)
execFileSync('callgrind_control', ['-d', String(child.pid)])
const dumps = readdirSync(dir).filter((f) => /\.\d+$/.test(f) || /\.\d+\.\d+$/.test(f))
let total = 0
for (const file of dumps) {
  const text = readFileSync(join(dir, file), 'utf8')
  // The dump after `-z` holds only what ran since: its `summary:` line is the total.
  if (!/^desc: Trigger: (?:dump|Client Request)/m.test(text)) continue
  total += Number(/^summary: (\d+)/m.exec(text)?.[1] ?? 0)
}
child.kill('SIGTERM')
await new Promise((resolve) => child.on('exit', resolve))
rmSync(dir, { recursive: true, force: true })
console.log(`${contender} ${scenarioName}: ${Math.round(total / count).toLocaleString('en-US')} instructions per request (${count} requests, Node ${process.version})`)
