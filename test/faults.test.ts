/**
 * Issue #7, faults: clients that hang up, streams that break, handlers that never resolve. The
 * server keeps serving, leaks no socket, listener, handle or timer, and no rejection goes unhandled.
 */
import { afterEach, beforeEach, expect } from 'vitest'
import { connect, type Socket } from 'node:net'
import type { Server } from 'node:http'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { requestBytes, sendRaw } from './_hostile.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Counters {
  stream: { started: number; cancelled: number; aborted: number }
  pending: { started: number; aborted: number; resolved: number }
  upload: { started: number; aborted: number; failed: number }
}

/** Everything that could leak, counted. */
interface Snapshot {
  resources: Record<string, number>
  serverListeners: Record<string, number>
  processListeners: Record<string, number>
  connections: number
}

function countBy(list: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of list) out[item] = (out[item] ?? 0) + 1
  return out
}

async function snapshot(server: Server): Promise<Snapshot> {
  const connections = await new Promise<number>((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))))
  const serverListeners: Record<string, number> = {}
  for (const name of server.eventNames()) serverListeners[String(name)] = server.listenerCount(name)
  const processListeners: Record<string, number> = {}
  for (const name of process.eventNames()) processListeners[String(name)] = process.listenerCount(name)
  return { resources: countBy(process.getActiveResourcesInfo()), serverListeners, processListeners, connections }
}

/** Poll until the snapshot equals `baseline` (sockets close asynchronously), or give up after `ms`. */
async function settle(server: Server, baseline: Snapshot, ms = 5000): Promise<Snapshot> {
  const deadline = Date.now() + ms
  let now = await snapshot(server)
  while (Date.now() < deadline && JSON.stringify(now) !== JSON.stringify(baseline)) {
    await wait(50)
    now = await snapshot(server)
  }
  return now
}

/** Open a socket, send `bytes`, hang up once `hangUp` says so. Resolves when the socket is closed. */
function hangUp(origin: string, bytes: Buffer, when: 'first-byte' | number): Promise<void> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname)
    socket.on('error', () => {})
    socket.on('close', () => resolve())
    socket.write(bytes)
    if (when === 'first-byte') socket.once('data', () => socket.destroy())
    else setTimeout(() => socket.destroy(), when)
    // Never wait forever, whatever the server does.
    setTimeout(() => socket.destroy(), 5000).unref()
  })
}

async function counters(t: TargetContext): Promise<Counters> {
  return JSON.parse((await t.raw('GET', '/hangup/counters')).body) as Counters
}

forEachTarget('faults', { options: { dir: fixture('faults') } }, (t) => {
  const rejections: unknown[] = []
  const onRejection = (reason: unknown) => {
    rejections.push(reason)
  }
  beforeEach(() => {
    rejections.length = 0
    process.on('unhandledRejection', onRejection)
  })
  afterEach(() => {
    process.off('unhandledRejection', onRejection)
  })

  t.test('1,000 clients hanging up mid-response, before the handler resolves, or mid-upload leak nothing', async () => {
    const origin = t.origin()
    const stream = requestBytes(origin, 'GET', '/hangup/stream')
    const pending = requestBytes(origin, 'GET', '/hangup/pending')
    // Headers promise 1 MiB; 64 KiB arrive, then the client is gone.
    const upload = Buffer.concat([
      Buffer.from(`POST /hangup/stream HTTP/1.1\r\nHost: ${new URL(origin).host}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${1024 * 1024}\r\n\r\n`),
      Buffer.alloc(64 * 1024, 0x61),
    ])
    // Warm-up: first-use allocations (modules, pools) are not leaks.
    await Promise.all([hangUp(origin, stream, 'first-byte'), hangUp(origin, pending, 60), hangUp(origin, upload, 60)])
    await wait(200)
    const srv = t.server()
    const before = await counters(t)
    const baseline = await settle(srv, await snapshot(srv), 500)

    const kinds: Array<[Buffer, 'first-byte' | number]> = [
      [stream, 'first-byte'],
      [pending, 60],
      [upload, 60],
    ]
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => hangUp(origin, ...kinds[(batch * 50 + i) % 3]!)))
    }

    // Every stream cancelled, every signal aborted, every pending handler resolved.
    let after = await counters(t)
    for (let i = 0; i < 100; i++) {
      const s = after.stream.cancelled - before.stream.cancelled
      const p = after.pending.resolved - before.pending.resolved
      const u = after.upload.failed - before.upload.failed
      if (s === after.stream.started - before.stream.started && p === after.pending.started - before.pending.started && u === after.upload.started - before.upload.started) break
      await wait(50)
      after = await counters(t)
    }
    const delta = (k: keyof Counters, f: string) => (after[k] as Record<string, number>)[f]! - (before[k] as Record<string, number>)[f]!
    expect(delta('stream', 'started') + delta('pending', 'started') + delta('upload', 'started'), 'handlers that ran').toBeGreaterThan(900)
    expect(delta('stream', 'cancelled'), 'streams cancelled').toBe(delta('stream', 'started'))
    expect(delta('stream', 'aborted'), 'stream signals aborted').toBe(delta('stream', 'started'))
    expect(delta('pending', 'aborted'), 'pending signals aborted').toBe(delta('pending', 'started'))
    expect(delta('pending', 'resolved'), 'pending handlers resolved').toBe(delta('pending', 'started'))
    expect(delta('upload', 'aborted'), 'upload signals aborted').toBe(delta('upload', 'started'))
    expect(delta('upload', 'failed'), 'upload reads rejected').toBe(delta('upload', 'started'))

    // The `/hangup/counters` requests themselves left a closed connection behind: settle again.
    const end = await settle(srv, baseline)
    expect(end.connections, 'open sockets on the server').toBe(baseline.connections)
    expect(end.serverListeners, 'listeners on the server').toEqual(baseline.serverListeners)
    expect(end.processListeners, 'listeners on process').toEqual(baseline.processListeners)
    expect(end.resources, 'active handles and requests (process.getActiveResourcesInfo())').toEqual(baseline.resources)
    expect(rejections, 'unhandled rejections').toEqual([])
    expect((await t.raw('GET', '/ok')).status).toBe(200)
  }, [], 60000)

  t.test('a response stream that errors halfway cuts the connection and is logged exactly once', async () => {
    const count = () => t.logs().filter((line) => line.includes('the stream broke halfway')).length
    const before = count()
    const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/stream-fails'))
    expect(res.status).toBe(200)
    expect(res.body).toBe('first')
    expect(res.complete, 'the client sees an incomplete response, not a clean end').toBe(false)
    expect(res.error).not.toBe('timeout')
    await wait(100)
    expect(count() - before, `logged: ${t.logs().filter((l) => l.includes('broke')).join(' | ')}`).toBe(1)
    expect(rejections).toEqual([])
    expect((await t.raw('GET', '/ok')).status).toBe(200)
  })

  t.test('a handler that never resolves does not block other requests', async () => {
    // Ordered, not timed: all 20 normal requests are answered while the stuck one still has no answer.
    let stuckSettled = false
    const never = sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/never'), 3000).then((res) => {
      stuckSettled = true
      return res
    })
    await wait(50)
    for (let i = 0; i < 20; i++) {
      const res = await t.raw('GET', '/ok')
      expect(res.status).toBe(200)
    }
    expect(stuckSettled, 'the normal requests did not wait for the stuck one').toBe(false)
    const stuck = await never
    expect(stuck.error).toBe('timeout')
    expect(stuck.status).toBeUndefined()
    expect((await t.raw('GET', '/ok')).status).toBe(200)
    expect(rejections).toEqual([])
  })

  t.test('maxDuration bounds a handler that never resolves: 504, and others are served meanwhile', async () => {
    const started = Date.now()
    const bounded = sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/bounded'), 5000)
    expect((await t.raw('GET', '/ok')).status).toBe(200)
    const res = await bounded
    expect(res.status).toBe(504)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
