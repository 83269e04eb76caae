/** CPU pinning (taskset) and CPU-time accounting from /proc (Linux; degrades to "unknown" elsewhere). */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

const clockTicks = readClockTicks()

/**
 * Pin this process (all its threads, and so the load generator it spawns) to CPU 1 and plan to
 * pin servers to CPU 0, when possible.
 * @returns {{ serverCpu: number | undefined, note: string }}
 */
export function pinSelf(client = 'the load generator') {
  if (os.availableParallelism() < 2) return { serverCpu: undefined, note: 'off (fewer than 2 CPUs): client and server share the CPU' }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' })
    return { serverCpu: 0, note: `servers on CPU 0 (\`taskset -c 0 node servers/_serve.mjs ...\`), the runner and ${client} on CPU 1 (\`taskset -a -p -c 1 <pid>\` on the runner)` }
  } catch {
    return { serverCpu: undefined, note: 'off (taskset missing or refused): client and server are scheduled freely' }
  }
}

/** utime + stime of a process and its live descendants, in seconds; undefined when unknown. */
export function treeCpuSeconds(pid) {
  const own = statTimes(pid)
  if (own === undefined) return undefined
  let total = own[0] + own[1]
  for (const child of childrenOf(pid)) total += treeCpuSeconds(child) ?? 0
  return total
}

/**
 * CPU seconds of this process plus its waited-for children (utime + stime + cutime + cstime):
 * counts autocannon (in-process) and wrk (a child, reaped before its result is read) alike.
 */
export function selfAndChildrenCpuSeconds() {
  const t = statTimes(process.pid)
  return t === undefined ? NaN : t[0] + t[1] + t[2] + t[3]
}

/** [utime, stime, cutime, cstime] in seconds, from /proc/<pid>/stat. */
function statTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // Fields after the command name (which may contain spaces) start at ") ".
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return [f[11], f[12], f[13], f[14]].map((v) => Number(v) / clockTicks)
  } catch {
    return undefined
  }
}

function childrenOf(pid) {
  try {
    const out = []
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim()
      if (list) out.push(...list.split(' ').map(Number))
    }
    return out
  } catch {
    return []
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
