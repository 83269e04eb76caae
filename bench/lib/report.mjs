/** The markdown tables of a run: per-scenario summaries and how to read them. */

/** @typedef {import('../run.mjs').Measure} Measure */

/** One load scenario's summary: medians over rounds. @param {Map<string, Measure[]>} results */
export function loadTable(results) {
  const rows = [...results].map(([name, all]) => [
    name,
    fmt(median(all.map((m) => m.rps))),
    ms(median(all.map((m) => m.p99))),
    String(all.reduce((n, m) => n + m.errors + m.non2xx, 0)),
    x(median(all.map((m) => m.vsFastify))),
    x(median(all.map((m) => m.vsExpress))),
    pct(median(all.map((m) => m.serverCpu))),
    pct(median(all.map((m) => m.clientCpu))),
    fmt(median(all.map((m) => m.rps / m.serverCpu))),
    x(median(all.map((m) => m.cpuVsFastify))),
  ])
  const head = ['contender', 'req/s', 'p99', 'errors + non-2xx', 'vs Fastify', 'vs Express', 'server CPU', 'client CPU', 'req/CPU-s', 'req/CPU-s vs Fastify']
  return markdown(head, rows)
}

/** The route-count summary. */
export function routeTable(routeResults, routeRatio, routeCount) {
  const rows = [...routeResults].map(([name, e]) => [
    name,
    fmt(median(e.small.map((m) => m.rps))),
    fmt(median(e.big.map((m) => m.rps))),
    x(routeRatio(name)),
    x(routeRatio(name, 'cpu')),
    `${e.startSmall.toFixed(1)} s / ${e.startBig.toFixed(1)} s`,
    e.appSmall === undefined ? '-' : `${Math.round(e.appSmall)} ms / ${Math.round(e.appBig)} ms`,
    String([...e.small, ...e.big].reduce((n, m) => n + m.errors + m.non2xx, 0)),
  ])
  const head = ['contender', 'req/s, 10 routes', `req/s, ${fmt(routeCount)} routes`, 'ratio (req/s)', 'ratio (req/CPU-s)', 'start-up to ready, 10 / big', 'the app\'s register + ready, 10 / big', 'errors + non-2xx']
  return markdown(head, rows)
}

/** The cold-start summary: medians over rounds, with the range (min-max) beside each. */
export function coldTable(c) {
  const m = (list, key) => {
    const values = list.map((v) => v[key]).filter((v) => typeof v === 'number')
    if (values.length === 0) return ''
    return `${Math.round(median(values))} ms (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`
  }
  return markdown(
    ['measure', 'transform cache empty', 'transform cache warm'],
    [
      ['`createHandler({ dir })` (scan + load + build), wall', m(c.cold, 'createHandlerMs'), m(c.warm, 'createHandlerMs')],
      ['`createHandler({ dir })`, CPU time of the process (user + system)', m(c.cold, 'createHandlerCpuMs'), m(c.warm, 'createHandlerCpuMs')],
      ['process start to handler ready (incl. Node boot, importing core)', m(c.cold, 'processReadyMs'), m(c.warm, 'processReadyMs')],
      ['scan alone (fast-glob, fresh process)', `${median(c.scan.map((v) => v.scanMs)).toFixed(1)} ms`, ''],
    ],
  )
}

/** How to read the tables. */
export const NOTES = `req/s = completed requests / measured seconds; p99 = the load generator's 99th percentile latency;
errors (connection errors + timeouts) and non-2xx (wrk: status >= 400) are summed over all rounds, the rest
are medians. Ratios are per round (contender ÷ plain Fastify, plain Express, or the goal's reference, measured
in the same round), then the median over rounds. CPU columns are CPU-seconds per wall-second (100% = one core):
a server well under 100% while the client is not saturated means something else took CPU 0 (noisy machine);
a client near 100% means the load generator may be the limit for that row. req/CPU-s = req/s ÷ server CPU,
the cost of a request, much less sensitive to stolen CPU than req/s.`

export function markdown(head, rows) {
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}
export function median(values) {
  const sorted = values.filter((v) => v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
export function fmt(n) {
  return Number.isNaN(n) ? 'n/a' : Math.round(n).toLocaleString('en-US')
}
export function ms(n) {
  return Number.isNaN(n) ? 'n/a' : `${n < 10 ? n.toFixed(2) : Math.round(n)} ms`
}
export function x(n) {
  return Number.isNaN(n) ? 'n/a' : `${n.toFixed(2)}x`
}
export function pct(n) {
  return Number.isNaN(n) ? 'n/a' : `${Math.round(n * 100)}%`
}

