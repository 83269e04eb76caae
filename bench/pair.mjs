/**
 * Two contenders measured in the same window: `node pair.mjs <a> <b> [scenario]` from bench/.
 * Each round starts both servers fresh (both pinned to CPU 0, as run.mjs pins one), loads both at
 * once with two wrk (or autocannon) instances on CPU 1, and reads each server's CPU time per
 * request (utime + stime from /proc): whatever else takes CPU 0 slows both alike, so their ratio
 * holds on a busy machine where one-after-the-other req/s does not. Prints, per round, µs of CPU
 * per request of each and b's speed relative to a (a's cost ÷ b's), then the median.
 *
 * BENCH_ROUNDS (default 3), BENCH_DURATION (default 5 s, after a 2 s warm-up), BENCH_CONNECTIONS
 * (default 50 per server). BENCH_NODE_ARGS_A / BENCH_NODE_ARGS_B: node flags for each server.
 */
import { pinSelf, treeCpuSeconds } from './lib/cpu.mjs'
import { createLoadGenerator } from './lib/load.mjs'
import { startChild } from './servers/_child.mjs'
import { contenders } from './servers/_contenders.mjs'
import { loadScenarios } from './servers/_scenarios.mjs'

const [a, b, scenarioName = 'get'] = process.argv.slice(2)
const scenario = loadScenarios[scenarioName]
if (!a || !b || !contenders.includes(a) || !contenders.includes(b) || !scenario) {
  console.error(`usage: node pair.mjs <a> <b> [${Object.keys(loadScenarios).join('|')}]; contenders: ${contenders.join(', ')}`)
  process.exit(2)
}
const rounds = Number(process.env.BENCH_ROUNDS || 3)
const duration = Number(process.env.BENCH_DURATION || 5)
const connections = Number(process.env.BENCH_CONNECTIONS || 50)
const argsOf = (value) => (value ?? '').split(' ').filter(Boolean)
const loadA = createLoadGenerator()
const loadB = createLoadGenerator()
const pinning = pinSelf(loadA.name)
console.log(`${a} vs ${b}, ${scenario.method} ${scenario.path}, ${loadA.description} x2, ${pinning.note}`)

const speeds = []
try {
  for (let round = 0; round < rounds; round++) {
    const childA = await startChild(a, { cpu: pinning.serverCpu, nodeArgs: argsOf(process.env.BENCH_NODE_ARGS_A) })
    const childB = await startChild(b, { cpu: pinning.serverCpu, nodeArgs: argsOf(process.env.BENCH_NODE_ARGS_B) })
    try {
      await Promise.all([loadA.run(childA.port, scenario, 2, connections), loadB.run(childB.port, scenario, 2, connections)])
      const cpuA = treeCpuSeconds(childA.pid) ?? NaN
      const cpuB = treeCpuSeconds(childB.pid) ?? NaN
      const [ra, rb] = await Promise.all([loadA.run(childA.port, scenario, duration, connections), loadB.run(childB.port, scenario, duration, connections)])
      const usA = (((treeCpuSeconds(childA.pid) ?? NaN) - cpuA) / ra.requests) * 1e6
      const usB = (((treeCpuSeconds(childB.pid) ?? NaN) - cpuB) / rb.requests) * 1e6
      speeds.push(usA / usB)
      console.log(`round ${round + 1}: ${a} ${usA.toFixed(2)} µs/req (${ra.requests} req), ${b} ${usB.toFixed(2)} µs/req (${rb.requests} req): ${b} at ${(usA / usB).toFixed(3)}x`)
    } finally {
      await Promise.all([childA.stop(), childB.stop()])
    }
  }
} finally {
  loadA.dispose()
  loadB.dispose()
}
speeds.sort((x, y) => x - y)
console.log(`median: ${b} at ${speeds[Math.floor(speeds.length / 2)].toFixed(3)}x ${a} (CPU per request)`)
