/**
 * Issue #16: what metadata routes and `ImageResponse` cost, in CPU time, without a load
 * generator's noise (the machine is shared): `node metadata.mjs` from bench/, packages built.
 *
 * 1. cached: `GET /sitemap.xml` (app-metadata/sitemap.ts, a static metadata route served from its
 *    cache) against `GET /feed.xml` (a `force-static` route handler answering the same bytes and
 *    headers, served from the same cache), through `createHandler`'s node:http listener with
 *    in-memory `IncomingMessage` / `ServerResponse` objects (Routeware's whole path minus the
 *    socket). Blocks alternate in one process; the figure is the median of the per-turn ratios.
 * 2. images: `GET /og` (app-metadata/og/route.tsx, a 1200x630 card rendered on every request by
 *    `@vercel/og`) in a fresh process: the time to the first image (start-up, then the renderer's
 *    import, its WebAssembly and font set-up, one render), then images per CPU-second and per
 *    second over `META_IMAGES` renders, and the process's memory before the first image, after it,
 *    and after the rest.
 *
 * env: META_TURNS (default 30), META_SIZE (requests a block, default 4000), META_IMAGES (default 100).
 */
import { execFile, execFileSync } from 'node:child_process'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const dir = fileURLToPath(new URL('./app-metadata', import.meta.url))
const size = Number(process.env.META_SIZE ?? 4000)
const turns = Number(process.env.META_TURNS ?? 30)
const images = Number(process.env.META_IMAGES ?? 100)

if (process.argv[2] === '--images') await imagesChild()
else await main()

/** One GET through the listener; resolves to the status and the response's headers and body bytes. */
function requester(handle) {
  const socket = new Socket()
  return (url) =>
    new Promise((resolve) => {
      const req = new IncomingMessage(socket)
      req.method = 'GET'
      req.url = url
      req.headers = { host: 'localhost' }
      req.rawHeaders = ['host', 'localhost']
      req.complete = true
      req.push(null)
      const res = new ServerResponse(req)
      const chunks = []
      const write = res.write
      res.write = function (chunk, ...rest) {
        if (chunk) chunks.push(Buffer.from(chunk))
        return write.call(this, chunk, ...rest)
      }
      const end = res.end
      res.end = function (chunk, ...rest) {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk))
        end.call(this, chunk, ...rest)
        resolve({ status: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks) })
        return this
      }
      handle(req, res)
    })
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main() {
  pin()
  const { createHandler } = await import('@routeware/core')
  const handle = await createHandler({ dir })
  const get = requester(handle)
  // Both answer the same bytes from the cache, or the comparison means nothing.
  // Both were rendered at start-up, as next build prerenders them: HIT from the first request.
  const [sitemap, feed] = [await get('/sitemap.xml'), await get('/feed.xml')]
  if (!sitemap.body.equals(feed.body)) throw new Error('/sitemap.xml and /feed.xml answer different bytes')
  if (sitemap.headers['x-routeware-cache'] !== 'HIT' || feed.headers['x-routeware-cache'] !== 'HIT') throw new Error(`expected two cache HITs, got ${sitemap.headers['x-routeware-cache']} and ${feed.headers['x-routeware-cache']}`)
  const block = async (url) => {
    const t0 = process.cpuUsage()
    for (let i = 0; i < size; i++) if ((await get(url)).status !== 200) throw new Error(`${url} did not answer 200`)
    const t = process.cpuUsage(t0)
    return ((t.user + t.system) * 1000) / size
  }
  await block('/sitemap.xml')
  await block('/feed.xml')
  const ratios = []
  const metadataNs = []
  const routeNs = []
  for (let turn = 0; turn < turns; turn++) {
    const first = turn % 2 === 0 ? '/sitemap.xml' : '/feed.xml'
    const a = await block(first)
    const b = await block(first === '/sitemap.xml' ? '/feed.xml' : '/sitemap.xml')
    const [m, r] = first === '/sitemap.xml' ? [a, b] : [b, a]
    metadataNs.push(m)
    routeNs.push(r)
    ratios.push(m / r)
  }
  ratios.sort((x, y) => x - y)
  const pct = (r) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`
  const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(ratios.length * q))]
  console.log(`Node ${process.version}; one process, ${turns} turns of ${size} requests each, alternating`)
  console.log('| served from the cache | ns of CPU a request (median) | requests per CPU-second |')
  console.log('| --- | --- | --- |')
  console.log(`| GET /sitemap.xml (sitemap.ts) | ${median(metadataNs).toFixed(0)} | ${Math.round(1e9 / median(metadataNs)).toLocaleString('en')} |`)
  console.log(`| GET /feed.xml (force-static route.ts) | ${median(routeNs).toFixed(0)} | ${Math.round(1e9 / median(routeNs)).toLocaleString('en')} |`)
  console.log(`metadata route vs route handler, per-turn ratio: median ${pct(at(0.5))} (quartiles ${pct(at(0.25))} .. ${pct(at(0.75))})`)

  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), '--images'], { env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 1 << 20 })
  process.stdout.write(stdout)
}

/** A fresh process: time to the first image, then images per second, and memory. */
async function imagesChild() {
  const mb = (n) => `${(n / 1048576).toFixed(0)} MB`
  const started = performance.now()
  const cpu0 = process.cpuUsage()
  const { createHandler } = await import('@routeware/core')
  const handle = await createHandler({ dir })
  const get = requester(handle)
  const ready = performance.now()
  const before = process.memoryUsage()
  const first = await get('/og?title=First')
  const firstAt = performance.now()
  const firstCpu = process.cpuUsage(cpu0)
  if (first.status !== 200 || first.body.readUInt32BE(16) !== 1200 || first.body.readUInt32BE(20) !== 630) throw new Error(`/og did not answer a 1200x630 PNG (${first.status})`)
  const afterFirst = process.memoryUsage()
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let bytes = 0
  for (let i = 0; i < images; i++) bytes += (await get(`/og?title=Card%20${i}`)).body.length
  const wall = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  const cpu = (c.user + c.system) / 1e6
  const after = process.memoryUsage()
  console.log(`\nImageResponse, GET /og (1200x630, two lines of text in the default font), fresh process, ${images} renders:`)
  console.log('| figure | value |')
  console.log('| --- | --- |')
  console.log(`| start-up (createHandler over app-metadata/) | ${(ready - started).toFixed(0)} ms |`)
  console.log(`| time to first image (from the request) | ${(firstAt - ready).toFixed(0)} ms (process CPU so far ${((firstCpu.user + firstCpu.system) / 1000).toFixed(0)} ms) |`)
  console.log(`| images per CPU-second | ${(images / cpu).toFixed(1)} (${((cpu / images) * 1000).toFixed(1)} ms of CPU an image) |`)
  console.log(`| images per second (wall, one at a time) | ${(images / wall).toFixed(1)} |`)
  console.log(`| PNG size | ${(bytes / images / 1024).toFixed(1)} KB |`)
  console.log(`| RSS before the first image / after it / after ${images} more | ${mb(before.rss)} / ${mb(afterFirst.rss)} / ${mb(after.rss)} |`)
  console.log(`| heap used, same points | ${mb(before.heapUsed)} / ${mb(afterFirst.heapUsed)} / ${mb(after.heapUsed)} |`)
  console.log(`| external + array buffers (the WebAssembly memory), same points | ${mb(before.external + before.arrayBuffers)} / ${mb(afterFirst.external + afterFirst.arrayBuffers)} / ${mb(after.external + after.arrayBuffers)} |`)
}

/** This process and its children on CPU 0 when taskset allows. */
function pin() {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' })
  } catch {
    // Unpinned.
  }
}
