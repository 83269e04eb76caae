/**
 * The stream pump: a `StreamBody` onto a Node writable, chunk by chunk with backpressure. Headers
 * are corked into the first write, chunks a producer has ready leave together (`StreamBody`
 * coalesces them), a client that hangs up cancels the producer, and a failure halfway destroys
 * the socket so chunked encoding is never terminated cleanly.
 */
import type { ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { Logger } from '../options.js'
import type { StreamBody } from '../seam.js'

/** Write `body` to `res`, whose headers were corked and flushed by the caller. */
export async function pumpStream(res: ServerResponse, body: StreamBody, logger: Logger): Promise<void> {
  let corked: NodeJS.Immediate | undefined = setImmediate(() => {
    corked = undefined
    res.uncork()
  })
  const uncork = () => {
    if (corked === undefined) return
    clearImmediate(corked)
    corked = undefined
    res.uncork()
  }
  let gone = false
  let wake: (() => void) | undefined
  const onClose = () => {
    if (res.writableFinished) return
    gone = true
    body.cancel(new DOMException('The client closed the connection.', 'AbortError'))
    wake?.()
  }
  res.on('close', onClose)
  const flush = (res as ServerResponse & { flush?: () => void }).flush
  try {
    for (;;) {
      const chunk = await body.next()
      if (chunk === undefined || gone) break
      res.write(chunk)
      // Uncorking flushes, and may emit 'drain' at once (Node 24): ask whether a drain is still owed.
      uncork()
      if (res.writableNeedDrain) {
        await new Promise<void>((resolve) => {
          wake = resolve
          res.once('drain', resolve)
        })
        res.off('drain', wake!)
        wake = undefined
      }
      // compression() holds chunks until flushed.
      if (typeof flush === 'function') flush.call(res)
    }
    if (!gone) res.end()
  } catch (error) {
    if (gone) return
    logger.error('A response stream failed halfway; the connection was closed so the client sees an incomplete response:', error)
    // Never a clean-looking end: destroy so chunked encoding is not terminated.
    res.destroy(error instanceof Error ? error : new Error(String(error)))
  } finally {
    uncork()
    res.off('close', onClose)
  }
}

/**
 * A `StreamBody` as a Node `Readable` (pull-based, so backpressure holds; destroying it cancels
 * the producer), starting with `first` when the caller already read the first chunk.
 */
export function toReadable(body: StreamBody, first?: Uint8Array): Readable {
  let head = first
  return new Readable({
    read() {
      if (head !== undefined) {
        this.push(head)
        head = undefined
        return
      }
      body.next().then(
        (chunk) => this.push(chunk === undefined ? null : chunk),
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      )
    },
    destroy(error, callback) {
      body.cancel(error ?? undefined)
      callback(error)
    },
  })
}
