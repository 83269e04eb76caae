/**
 * One generated stream, two readers: the cache entry reads it at the generator's own pace (up to
 * the store's entry limit), the client that asked for it at its own. A client that never reads
 * never holds the entry back, and memory stays bounded: the entry's bytes, or, once the body
 * outgrew the limit, the few chunks the client has not read yet.
 */
import type { StreamBody } from '../seam.js'

/** Unread bytes a client may have before the generator waits for it (once nothing is kept for the entry). */
const CLIENT_HIGH_WATER = 64 * 1024

/**
 * Read `body` into an entry of at most `limit` bytes. `done` is called once: with the whole body,
 * or `undefined` as soon as it is past `limit`, fails or is cancelled. With `withClient`, returns
 * the client's view of the same chunks; without, the stream is cancelled once nothing more can be
 * kept (a background regeneration or a HEAD never reads past the limit).
 */
export function fillEntry(body: StreamBody, limit: number, done: (bytes: Uint8Array | undefined) => void, withClient: boolean): StreamBody | undefined {
  let kept: Uint8Array[] | undefined = []
  let size = 0
  /** Chunks the client has not read, in order: a suffix of the body. */
  let queue: Uint8Array[] = []
  let queued = 0
  let clientGone = !withClient
  let ended = false
  let failure: { error: unknown } | undefined
  let wakeClient: (() => void) | undefined
  let wakePump: (() => void) | undefined
  let settled = false

  const settle = (bytes: Uint8Array | undefined) => {
    if (settled) return
    settled = true
    done(bytes)
  }
  const wake = () => {
    const resume = wakeClient
    wakeClient = undefined
    resume?.()
  }
  const stop = (reason?: unknown) => {
    try {
      body.cancel(reason)
    } catch {
      // A producer that throws on cancel has nothing more to give either.
    }
  }

  const pump = async (): Promise<void> => {
    try {
      for (;;) {
        if (kept === undefined) {
          // Nothing more can be stored: read only as fast as the client does, and stop without one.
          while (!clientGone && queued >= CLIENT_HIGH_WATER) await new Promise<void>((resolve) => (wakePump = resolve))
          if (clientGone) {
            stop()
            break
          }
        }
        const chunk = await body.next()
        if (chunk === undefined) {
          ended = true
          break
        }
        if (kept !== undefined) {
          size += chunk.byteLength
          if (size > limit) {
            kept = undefined
            settle(undefined)
          } else kept.push(chunk)
        }
        if (!clientGone) {
          queue.push(chunk)
          queued += chunk.byteLength
          wake()
        }
      }
      if (ended && kept !== undefined) {
        // A copy even of one chunk: the producer may reuse its buffer.
        const bytes = Buffer.concat(kept, size)
        kept = undefined
        // What the client has yet to read is the end of the entry's bytes: hold those, not the chunks.
        if (queued > 0) queue = [bytes.subarray(bytes.byteLength - queued)]
        settle(bytes)
      }
    } catch (error) {
      failure = { error }
      kept = undefined
    }
    ended = true
    settle(undefined)
    wake()
  }
  void pump()

  if (!withClient) return undefined
  return {
    async next() {
      while (queue.length === 0) {
        if (failure) throw failure.error
        if (ended) return undefined
        await new Promise<void>((resolve) => (wakeClient = resolve))
      }
      const chunk = queue.shift()!
      queued -= chunk.byteLength
      if (wakePump && queued < CLIENT_HIGH_WATER) {
        const resume = wakePump
        wakePump = undefined
        resume()
      }
      return chunk
    },
    cancel(reason) {
      clientGone = true
      queue = []
      queued = 0
      // The entry still wants the rest; past the limit nobody does.
      if (kept === undefined && !ended) stop(reason)
      const resume = wakePump
      wakePump = undefined
      resume?.()
    },
  }
}
