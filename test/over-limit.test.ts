/**
 * Issue #12, the 413 always reaches the client: a client that writes its whole body before it
 * reads (a plain `http.request` with a 5 MiB body, a raw socket) reads the 413 on every target,
 * with the server's CPU busy, and the server keeps serving. Both refusals: a declared
 * Content-Length past the limit (refused before a byte is read) and a chunked body (refused as
 * it crosses the limit). Past the drain bounds the connection closes: an endless or trickling
 * upload costs bounded time and bytes, never memory.
 */
import { expect } from 'vitest'
import { connect } from 'node:net'
import { Worker } from 'node:worker_threads'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

const MiB = 1024 * 1024
const LIMIT = MiB
/** The drain bounds (packages/core/src/node/lingering-close.ts): 5 s from the limit, 8 MiB dropped. */
const LINGER_MS = 5000
const LINGER_BYTES = 8 * MiB

interface Job {
  kind: 'http' | 'raw'
  chunked: boolean
  path: string
}
interface Answer {
  job: Job
  status: number | undefined
  /** What went wrong when no status came back. */
  error?: string
  /** An error after the status: the connection cut while the client still wrote. */
  after?: string
}

/**
 * `count` uploads of 5 MiB, `concurrency` at a time, from a worker thread (`_upload-client.mjs`):
 * node:http and raw sockets (`Connection: close`), declared (Content-Length) and chunked, the
 * body read at once (`/upload`) or as a stream (`/stream-upload`), in turn.
 */
function uploads(t: TargetContext, count: number, concurrency: number): Promise<Answer[]> {
  const jobs: Job[] = Array.from({ length: count }, (_, i) => ({
    kind: i % 4 < 2 ? 'http' : 'raw',
    chunked: i % 2 === 1,
    path: Math.floor(i / 4) % 2 === 0 ? '/upload' : '/stream-upload',
  }))
  const worker = new Worker(new URL('./_upload-client.mjs', import.meta.url), { workerData: { origin: t.origin(), size: 5 * MiB, concurrency, jobs } })
  return new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`the upload worker exited (${code}) without answering`)))
  })
}

/**
 * Keep the machine busy while `run` runs: a worker spinning on a core of its own, and a route
 * that blocks the server's event loop for 10 ms, hit every 40 ms. (A loop blocked all the time
 * would hide the race: the clients would finish writing before the server answered.)
 */
async function whileBusy<T>(t: TargetContext, run: () => Promise<T>): Promise<T> {
  const worker = new Worker('const until = Date.now() + 120000; while (Date.now() < until) {}', { eval: true })
  let busy = true
  const spinning = (async () => {
    while (busy) {
      await fetch(`${t.origin()}/spin?ms=10`).then((r) => r.text(), () => undefined)
      await new Promise((resolve) => setTimeout(resolve, 40))
    }
  })()
  try {
    return await run()
  } finally {
    busy = false
    await spinning
    await worker.terminate()
  }
}

async function stillServing(t: TargetContext) {
  const ok = await t.raw('GET', '/ok')
  expect(ok.status, 'the server keeps serving').toBe(200)
  expect(ok.body).toBe('ok')
  const small = await t.raw('POST', '/ok', { 'content-type': 'text/plain' }, 'small')
  expect(small.body, 'a body under the limit is still read').toBe('read 5')
}

/**
 * A raw socket declaring `declared` bytes: `head` bytes at once, then `each` bytes every `every`
 * ms (or as fast as the socket takes them, `every` 0), reading all along, until the server closes.
 */
function feed(origin: string, declared: number, head: number, each: number, every: number) {
  const { hostname, port, host } = new URL(origin)
  const started = performance.now()
  return new Promise<{ status: number | undefined; written: number; answeredAt: number; closedAt: number }>((resolve) => {
    const socket = connect(Number(port), hostname)
    let status: number | undefined
    let answeredAt = NaN
    let timer: NodeJS.Timeout | undefined
    const give = async () => {
      while (!socket.destroyed && !socket.writableEnded) {
        if (!socket.write(Buffer.alloc(each, 0x62))) await new Promise((r) => socket.once('drain', r).once('close', r))
        if (every > 0) await new Promise((r) => setTimeout(r, every))
      }
    }
    socket.on('data', (chunk: Buffer) => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))
      if (match && status === undefined) {
        status = Number(match[1])
        answeredAt = performance.now() - started
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ status, written: socket.bytesWritten, answeredAt, closedAt: performance.now() - started })
    })
    // The test's own bound: a server that never closes fails it, not the run.
    timer = setTimeout(() => socket.destroy(), 30000)
    socket.write(`POST /upload HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${declared}\r\n\r\n`)
    socket.write(Buffer.alloc(head, 0x61))
    void give()
  })
}

/**
 * Every upload that did not read a 413, or whose connection was cut after it (within the drain
 * bounds the upload ends cleanly), with what went wrong.
 */
const missed = (answers: Answer[]) =>
  answers
    .filter((a) => a.status !== 413 || a.after !== undefined)
    .map(({ job, status, error, after }) => `${job.kind} ${job.chunked ? 'chunked' : 'declared'} ${job.path}: ${status ?? error}${after ? ` then ${after}` : ''}`)

forEachTarget('bodies past bodyLimit', { options: { dir: fixture('over-limit'), bodyLimit: LIMIT } }, (t) => {
  t.test('issue #12: 50 sequential uploads of 5 MiB written in full before reading all read the 413 and end cleanly, the CPU busy', async () => {
    const started = performance.now()
    const answers = await whileBusy(t, () => uploads(t, 50, 1))
    expect(answers).toHaveLength(50)
    expect(missed(answers), `50 uploads in ${Math.round(performance.now() - started)} ms`).toEqual([])
    await stillServing(t)
  }, ['node-writer'], 60000)

  t.test('issue #12: 20 concurrent uploads of 5 MiB written in full before reading all read the 413 and end cleanly, the CPU busy', async () => {
    const started = performance.now()
    const answers = await whileBusy(t, () => uploads(t, 20, 20))
    expect(answers).toHaveLength(20)
    expect(missed(answers), `20 uploads in ${Math.round(performance.now() - started)} ms`).toEqual([])
    await stillServing(t)
  }, ['node-writer'], 60000)

  t.test('issue #12: an endless upload is cut once the drain dropped its bytes: bounded bytes, no memory', async () => {
    const rssBefore = process.memoryUsage().rss
    const res = await feed(t.origin(), 1024 * MiB, 0, 64 * 1024, 0)
    const grown = (process.memoryUsage().rss - rssBefore) / MiB
    expect(res.status).toBe(413)
    // What the client got out: the limit, the drain, and what the kernel buffers on both sides hold.
    expect(res.written / MiB, 'MiB written before the server closed').toBeLessThan((LIMIT + LINGER_BYTES) / MiB + 32)
    expect(res.closedAt, 'closed before the time bound').toBeLessThan(LINGER_MS)
    expect(grown, `RSS grew by ${grown.toFixed(1)} MB`).toBeLessThan(50)
    await stillServing(t)
  }, ['node-writer'], 30000)

  t.test('issue #12: a trickling upload is cut once the drain ran for its time: bounded time', async () => {
    // Past the limit at once, then 16 KiB every 100 ms: far under the byte bound for 5 s.
    const res = await feed(t.origin(), 5 * MiB, LIMIT + 64 * 1024, 16 * 1024, 100)
    expect(res.status).toBe(413)
    expect(res.answeredAt, 'the 413 comes at once').toBeLessThan(1000)
    expect(res.closedAt, 'the connection stays open to drain').toBeGreaterThan(LINGER_MS - 500)
    expect(res.closedAt, 'and closes once the time bound passed').toBeLessThan(LINGER_MS + 3000)
    await stillServing(t)
  }, ['node-writer'], 30000)

  t.test('issue #12: a handler that catches the over-limit read answers on a connection that stays usable', async () => {
    // Keep-alive, the whole 3 MiB body and then a second request written before anything is read.
    const { hostname, port, host } = new URL(t.origin())
    const socket = connect(Number(port), hostname)
    let text = ''
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (/HTTP\/1\.1 200[^]*\r\n\r\nok$/.test(text)) socket.end()
    })
    const closed = new Promise((resolve) => socket.on('close', resolve).on('error', resolve))
    socket.write(`POST /caught HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${3 * MiB}\r\n\r\n`)
    socket.write(Buffer.alloc(3 * MiB, 0x61))
    socket.write(`GET /ok HTTP/1.1\r\nHost: ${host}\r\n\r\n`)
    const timer = setTimeout(() => socket.destroy(), 10000)
    await closed
    clearTimeout(timer)
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))
    expect(statuses, text.slice(0, 400)).toEqual([422, 200])
    expect(text).toContain('{"caught":"ROUTEWARE_BODY_TOO_LARGE"}')
    expect(text).not.toMatch(/connection: close/i)
  }, ['node-writer'])
})
