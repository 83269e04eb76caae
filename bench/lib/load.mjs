/**
 * The load generator: wrk when `which wrk` finds it (one thread: much lighter than autocannon,
 * whose single process tops out near plain Fastify's speed on one core and compresses the ratios),
 * autocannon from npm otherwise. `BENCH_LOADGEN=wrk|autocannon` forces one.
 */
import autocannon from 'autocannon'
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @typedef {{ requests: number, seconds: number, p50: number, p99: number, errors: number, non2xx: number, bytes: number }} LoadResult
 *   p50/p99 in ms; errors = connect/read/write errors + timeouts; non2xx = wrk: status >= 400, autocannon: not 2xx.
 * @typedef {{ method: string, path: string, body?: string }} Target
 * @typedef {{ name: 'wrk' | 'autocannon', description: string,
 *   run(port: number, target: Target, seconds: number, connections: number): Promise<LoadResult>, dispose(): void }} LoadGenerator
 */

/** @returns {LoadGenerator} */
export function createLoadGenerator(forced = process.env.BENCH_LOADGEN) {
  if (forced !== undefined && forced !== 'wrk' && forced !== 'autocannon') throw new Error(`BENCH_LOADGEN must be wrk or autocannon, got ${JSON.stringify(forced)}`)
  const wrk = forced === 'autocannon' ? undefined : which('wrk')
  if (forced === 'wrk' && !wrk) throw new Error('BENCH_LOADGEN=wrk but `which wrk` finds nothing')
  return wrk ? createWrk(wrk) : createAutocannon(forced === 'autocannon' ? 'forced by BENCH_LOADGEN' : 'wrk not found')
}

function which(command) {
  try {
    return execFileSync('which', [command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

/** wrk, one thread, with a Lua script per target (method, body, and a `done` that prints JSON). */
function createWrk(bin) {
  // `wrk -v` prints its version and usage, and exits 1.
  const version = /wrk\s+(\S+)/.exec(spawnSync(bin, ['-v'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown version'
  const dir = mkdtempSync(join(tmpdir(), 'routeware-bench-'))
  /** @type {Map<string, string>} */
  const scripts = new Map()
  const scriptFor = (target) => {
    const key = `${target.method} ${target.path} ${target.body?.length ?? 0}`
    let file = scripts.get(key)
    if (file) return file
    const n = scripts.size
    const lines = [`wrk.method = ${JSON.stringify(target.method)}`]
    if (target.body !== undefined) {
      const bodyFile = join(dir, `body-${n}.json`)
      writeFileSync(bodyFile, target.body)
      lines.push(
        'wrk.headers["Content-Type"] = "application/json"',
        `local f = assert(io.open(${JSON.stringify(bodyFile)}, "rb"))`,
        'wrk.body = f:read("*a")',
        'f:close()',
      )
    }
    lines.push(
      'done = function(summary, latency, requests)',
      '  local e = summary.errors',
      '  io.write(string.format("\\nBENCH_JSON {\\"requests\\":%d,\\"us\\":%d,\\"bytes\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p99\\":%d}\\n",',
      '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))',
      'end',
    )
    file = join(dir, `target-${n}.lua`)
    writeFileSync(file, `${lines.join('\n')}\n`)
    scripts.set(key, file)
    return file
  }
  return {
    name: /** @type {const} */ ('wrk'),
    description: `wrk ${version} (${bin}), 1 thread`,
    run(port, target, seconds, connections) {
      // wrk takes whole seconds.
      const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '10s', '-s', scriptFor(target), `http://127.0.0.1:${port}${target.path}`]
      return new Promise((resolve, reject) => {
        execFile(bin, args, { encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
          const line = /^BENCH_JSON (.*)$/m.exec(stdout)?.[1]
          if (error || !line) return reject(new Error(`wrk ${args.join(' ')} failed: ${error?.message ?? 'no summary'}\n${stdout}${stderr}`))
          const r = JSON.parse(line)
          resolve({
            requests: r.requests,
            seconds: r.us / 1e6,
            p50: r.p50 / 1000,
            p99: r.p99 / 1000,
            errors: r.connect + r.read + r.write + r.timeout,
            non2xx: r.status,
            bytes: r.bytes,
          })
        })
      })
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** autocannon in this process (programmatic), keep-alive, no pipelining. */
function createAutocannon(reason) {
  const version = createRequire(import.meta.url)('autocannon/package.json').version
  return {
    name: /** @type {const} */ ('autocannon'),
    description: `autocannon ${version} (programmatic, in the runner; ${reason})`,
    async run(port, target, seconds, connections) {
      const headers = target.body === undefined ? undefined : { 'content-type': 'application/json' }
      const r = await autocannon({
        url: `http://127.0.0.1:${port}${target.path}`,
        method: /** @type {any} */ (target.method),
        body: target.body,
        headers,
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
      })
      return {
        requests: r.requests.total,
        seconds: r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
        bytes: r.throughput.total,
      }
    },
    dispose() {},
  }
}
