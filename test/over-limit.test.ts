/**
 * Issue #12, the 413 always reaches the client: a client that writes its whole body before it
 * reads (a plain `http.request` with a 5 MiB body, a raw socket) reads the 413 on every target,
 * with the server's CPU busy, and the server keeps serving. Both refusals: a declared
 * Content-Length past the limit (refused before a byte is read) and a chunked body (refused as
 * it crosses the limit).
 */
import { expect } from 'vitest'
import { Worker } from 'node:worker_threads'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

const MiB = 1024 * 1024
const LIMIT = MiB

interface Job {
  kind: 'http' | 'raw'
  chunked: boolean
  path: string
}
interface Answer {
  job: Job
  status: number | undefined
  error?: string
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

/** Every answer that is not a 413, with what went wrong. */
const missed = (answers: Answer[]) =>
  answers.filter((a) => a.status !== 413).map(({ job, status, error }) => `${job.kind} ${job.chunked ? 'chunked' : 'declared'} ${job.path}: ${status ?? error}`)

forEachTarget('bodies past bodyLimit', { options: { dir: fixture('over-limit'), bodyLimit: LIMIT } }, (t) => {
  t.test('issue #12: 50 sequential uploads of 5 MiB written in full before reading all read the 413, the CPU busy', async () => {
    const started = performance.now()
    const answers = await whileBusy(t, () => uploads(t, 50, 1))
    expect(answers).toHaveLength(50)
    expect(missed(answers), `50 uploads in ${Math.round(performance.now() - started)} ms`).toEqual([])
    await stillServing(t)
  }, ['node-writer'], 60000)

  t.test('issue #12: 20 concurrent uploads of 5 MiB written in full before reading all read the 413, the CPU busy', async () => {
    const started = performance.now()
    const answers = await whileBusy(t, () => uploads(t, 20, 20))
    expect(answers).toHaveLength(20)
    expect(missed(answers), `20 uploads in ${Math.round(performance.now() - started)} ms`).toEqual([])
    await stillServing(t)
  }, ['node-writer'], 60000)
})
