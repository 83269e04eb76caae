/** Run one contender in its own child process (`servers/_serve.mjs`), optionally pinned to a CPU. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const serve = fileURLToPath(new URL('./_serve.mjs', import.meta.url))
const benchDir = fileURLToPath(new URL('..', import.meta.url))

/**
 * @typedef {{ port: number, pid: number, startupMs?: number, stop(): Promise<void> }} Child
 *   `startupMs`: the app's own start-up (register + ready) when the contender reports it.
 * @param {string} name
 * @param {{ cpu?: number, routes?: number, nodeArgs?: string[], env?: Record<string, string>, timeoutMs?: number }} [options]
 *   `cpu`: pin with `taskset -c <cpu>`; `nodeArgs`: e.g. `--cpu-prof`.
 * @returns {Promise<Child>} once the child printed `ready <port>`
 */
export function startChild(name, { cpu, routes, nodeArgs = [], env = {}, timeoutMs = 30_000 } = {}) {
  const args = [process.execPath, ...nodeArgs, serve, name, '0', ...(routes ? [String(routes)] : [])]
  const [cmd, ...rest] = cpu === undefined ? args : ['taskset', '-c', String(cpu), ...args]
  const proc = spawn(cmd, rest, { cwd: benchDir, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`${name} did not start within ${timeoutMs} ms`))
    }, timeoutMs)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with code ${code} before it was ready`))
    })
    const onData = (chunk) => {
      out += chunk
      const match = /^ready (\d+)$/m.exec(out)
      if (!match) return
      clearTimeout(timer)
      proc.stdout.off('data', onData)
      proc.stdout.resume()
      const startup = /^startup ([\d.]+)$/m.exec(out)
      resolve({
        port: Number(match[1]),
        startupMs: startup ? Number(startup[1]) : undefined,
        // taskset execs node, so the child's pid is the server's pid.
        pid: /** @type {number} */ (proc.pid),
        stop: async () => {
          proc.kill('SIGTERM')
          const kill = setTimeout(() => proc.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(kill)
        },
      })
    }
    proc.stdout.on('data', onData)
  })
}
