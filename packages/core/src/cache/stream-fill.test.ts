import { describe, expect, it } from 'vitest'
import type { StreamBody } from '../seam.js'
import { fillEntry } from './stream-fill.js'

/** A producer of `count` chunks of `size` bytes, counting what was read and whether it was cancelled. */
function producer(count: number, size = 1024, fail = false) {
  const state = { read: 0, cancelled: false }
  const body: StreamBody = {
    async next() {
      await null
      if (state.cancelled) return undefined
      if (state.read === count) {
        if (fail) throw new Error('producer failed')
        return undefined
      }
      state.read++
      return new Uint8Array(size).fill(state.read)
    },
    cancel() {
      state.cancelled = true
    },
  }
  return { body, state }
}

const entry = () => {
  let resolve!: (bytes: Uint8Array | undefined) => void
  const promise = new Promise<Uint8Array | undefined>((r) => (resolve = r))
  return { promise, done: resolve }
}

async function readAll(body: StreamBody): Promise<number> {
  let size = 0
  for (let chunk = await body.next(); chunk !== undefined; chunk = await body.next()) size += chunk.byteLength
  return size
}

describe('fillEntry', () => {
  it('fills the entry from the producer while the client has read nothing', async () => {
    const { body } = producer(10)
    const { promise, done } = entry()
    const client = fillEntry(body, 64 * 1024, done, true)!
    expect((await promise)?.byteLength).toBe(10 * 1024)
    expect(await readAll(client)).toBe(10 * 1024)
  })

  it('keeps filling the entry after its client went away', async () => {
    const { body, state } = producer(10)
    const { promise, done } = entry()
    const client = fillEntry(body, 64 * 1024, done, true)!
    await client.next()
    client.cancel()
    expect((await promise)?.byteLength).toBe(10 * 1024)
    expect(state.cancelled).toBe(false)
  })

  it('issue #17: without a client, stops reading (cancels) once past the limit', async () => {
    const { body, state } = producer(1000)
    const { promise, done } = entry()
    expect(fillEntry(body, 4 * 1024, done, false)).toBeUndefined()
    expect(await promise).toBeUndefined()
    await new Promise((r) => setTimeout(r, 10))
    expect(state.cancelled).toBe(true)
    expect(state.read).toBe(5)
  })

  it('past the limit, reads no further ahead of a slow client than its high-water mark', async () => {
    const { body, state } = producer(10_000)
    const { promise, done } = entry()
    const client = fillEntry(body, 16 * 1024, done, true)!
    expect(await promise).toBeUndefined()
    await new Promise((r) => setTimeout(r, 20))
    // 17 chunks pass the limit; from then on the producer runs only while the client's unread
    // bytes are under the 64 KiB high-water mark: 64 chunks in all, and it waits there.
    expect(state.read).toBeLessThanOrEqual(65)
    expect(await readAll(client)).toBe(10_000 * 1024)
  })

  it("gives the client the chunks before a producer's failure, then the failure; the entry gets nothing", async () => {
    const { body } = producer(3, 1024, true)
    const { promise, done } = entry()
    const client = fillEntry(body, 64 * 1024, done, true)!
    expect(await promise).toBeUndefined()
    expect((await client.next())?.byteLength).toBe(1024)
    await client.next()
    await client.next()
    await expect(client.next()).rejects.toThrow('producer failed')
  })
})
