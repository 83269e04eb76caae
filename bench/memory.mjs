/**
 * The two memory goals of issue 6, per adapter (and plain Fastify for reference), each server in its own child process
 * (`load/server.mjs`, serving load/app, `NODE_ENV=production`):
 *
 * 1. RSS after 1,000,000 requests within 10% of RSS after the first 100,000: `GET /users/123`
 *    from autocannon, 50 keep-alive connections, RSS read when the 100,000th and the
 *    1,000,000th response arrived, and the live heap after a full GC at both points (the leak
 *    signal: RSS also follows V8's heap sizing and the allocator).
 * 2. A 1 GiB streamed response (`GET /big`, 64 KiB chunks from a ReadableStream) grows RSS by
 *    less than 50 MB: the client reads and discards, the server's RSS is sampled every 100 ms
 *    and the peak compared with RSS before the request.
 *
 *   node memory.mjs                                   # from bench/, ~4 min on 2 CPUs
 *   MEMORY_ONLY=fastify MEMORY_REQUESTS=200000 node memory.mjs
 *
 * Writes the report to stdout and to results/memory-node<major>.md (default settings only).
 */
import autocannon from 'autocannon'
import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { startServer } from './load/run.mjs'

const env = (name, fallback) => (process.env[name] === undefined ? fallback : Number(process.env[name]))
const REQUESTS = env('MEMORY_REQUESTS', 1_000_000)
const FIRST = Math.round(REQUESTS / 10)
const STREAM_MIB = env('MEMORY_STREAM_MIB', 1024)
const ADAPTERS = (process.env.MEMORY_ONLY ?? 'plain-fastify,fastify,express,handler').split(',')
const MB = 1024 * 1024
const mb = (bytes) => (bytes / MB).toFixed(1)

/** RSS when the FIRST-th and the last response arrived. */
async function manyRequests(server) {
  let seen = 0
  let rssFirst
  const instance = autocannon({ url: `http://127.0.0.1:${server.port}/users/123`, connections: 50, amount: REQUESTS, timeout: 10 })
  let heapFirst
  instance.on('response', () => {
    if (++seen === FIRST) {
      rssFirst = server.rss()
      heapFirst = rssFirst.then(() => server.heap())
    }
  })
  const result = await instance
  const rssLast = await server.rss()
  return { rssFirst: await rssFirst, rssLast, heapFirst: await heapFirst, heapLast: await server.heap(), result }
}

/** Read GET /big to the end, discarding it; the server's RSS peak while it streamed. */
async function bigStream(server) {
  const before = await server.rss()
  let peak = before
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await server.rss())
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  const started = Date.now()
  const bytes = await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: `/big?mib=${STREAM_MIB}` }, (res) => {
      let n = 0
      res.on('data', (chunk) => (n += chunk.length))
      res.on('end', () => resolve(n))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
  sampling = false
  await sampler
  return { before, peak, after: await server.rss(), bytes, seconds: (Date.now() - started) / 1000 }
}

const rows = []
for (const adapter of ADAPTERS) {
  const server = await startServer(adapter)
  try {
    const many = await manyRequests(server)
    const stream = await bigStream(server)
    rows.push({ adapter, many, stream })
    console.log(
      `${adapter}: RSS after ${FIRST.toLocaleString('en')} req ${mb(many.rssFirst)} MB, after ${REQUESTS.toLocaleString('en')} ${mb(many.rssLast)} MB ` +
        `(${(many.rssLast / many.rssFirst).toFixed(3)}x; ${many.result.errors} errors, ${many.result.non2xx} non-2xx); ` +
        `${mb(stream.bytes)} MB streamed in ${stream.seconds.toFixed(1)} s, RSS ${mb(stream.before)} -> peak ${mb(stream.peak)} MB (+${mb(stream.peak - stream.before)})`,
    )
  } finally {
    await server.close()
  }
}

const lines = [
  `Node ${process.version}, ${new Date().toISOString()}; \`node memory.mjs\` from bench/ (MEMORY_REQUESTS=${REQUESTS}, MEMORY_STREAM_MIB=${STREAM_MIB})`,
  '',
  `| adapter | RSS after ${FIRST.toLocaleString('en')} req | after ${REQUESTS.toLocaleString('en')} req | ratio (goal <= 1.10x) | live heap after GC: ${FIRST.toLocaleString('en')} / ${REQUESTS.toLocaleString('en')} req | errors + non-2xx | ${STREAM_MIB} MiB stream: RSS before | peak while streaming | growth (goal < 50 MB) | MB/s |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ({ adapter, many, stream }) =>
      `| ${adapter} | ${mb(many.rssFirst)} MB | ${mb(many.rssLast)} MB | ${(many.rssLast / many.rssFirst).toFixed(3)}x | ${mb(many.heapFirst)} / ${mb(many.heapLast)} MB | ${many.result.errors + many.result.non2xx} | ${mb(stream.before)} MB | ${mb(stream.peak)} MB | ${mb(stream.peak - stream.before)} MB | ${(stream.bytes / MB / stream.seconds).toFixed(0)} |`,
  ),
]
const report = lines.join('\n')
console.log(`\n${report}`)
if (process.env.MEMORY_REQUESTS === undefined && process.env.MEMORY_STREAM_MIB === undefined && process.env.MEMORY_ONLY === undefined) {
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
  writeFileSync(new URL(`./results/memory-node${process.versions.node.split('.')[0]}.md`, import.meta.url), `# Memory (issue 6)\n\n${report}\n`)
}
const failed = rows.some(({ many, stream }) => many.result.errors > 0 || many.result.non2xx > 0 || stream.bytes !== STREAM_MIB * MB)
process.exitCode = failed ? 1 : 0
