/** Write an `Outgoing` to a Node `ServerResponse`: headers merged with the host's, then one write or a paced stream. */
import type { ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { Logger } from '../options.js'
import { isStreamBody, type Outgoing, type StreamBody } from '../web/outgoing.js'

/** Merge a `Vary` value into the one already set: both kept, each field once. */
export function mergeVary(existing: unknown, value: string): string {
  if (existing === undefined || existing === null || existing === '') return value
  const fields = String(existing).split(',').map((f) => f.trim()).filter(Boolean)
  const seen = new Set(fields.map((f) => f.toLowerCase()))
  for (const field of value.split(',').map((f) => f.trim()).filter(Boolean)) {
    if (!seen.has(field.toLowerCase())) {
      seen.add(field.toLowerCase())
      fields.push(field)
    }
  }
  return fields.join(', ')
}

/**
 * The contract's header rule: the handler's header replaces a host header of the same name
 * (cors(), helmet, a hook set it earlier); `Set-Cookie` and `Vary` are appended.
 */
export function applyHeaders(res: ServerResponse, headers: Outgoing['headers']): void {
  for (const [name, value] of headers) {
    if (name === 'set-cookie') res.appendHeader(name, value)
    else if (name === 'vary') res.setHeader(name, mergeVary(res.getHeader(name), value))
    else res.setHeader(name, value)
  }
}

/**
 * Send `out` on `res`. Resolves when the body is written (or the client is gone). Never throws
 * and never rejects: a write Node refuses answers an empty 500 while nothing has left, and
 * closes the connection once the headers are out.
 */
export function sendResponse(res: ServerResponse, out: Outgoing, logger: Logger): Promise<void> | void {
  if (res.headersSent) {
    logger.error('Routeware could not send a response: headers were already sent by an earlier middleware.')
    return
  }
  const { body } = out
  let corked = false
  try {
    applyHeaders(res, out.headers)
    res.statusCode = out.status
    if (out.statusText) res.statusMessage = out.statusText
    if (body === null) {
      res.end()
      return
    }
    if (!isStreamBody(body)) {
      // Framing is the writer's: the real length, whatever an earlier middleware set.
      if (res.hasHeader('transfer-encoding')) res.removeHeader('transfer-encoding')
      res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)
      res.end(body)
      return
    }
    // Node frames a stream chunked; a length set earlier would not be the body's.
    if (res.hasHeader('content-length')) res.removeHeader('content-length')
    // Headers go out before the first chunk exists (SSE, long polls), but in the same write as that
    // chunk when it is ready at once: corked until the first write, or the next turn of the loop.
    res.cork()
    corked = true
    res.flushHeaders()
  } catch (error) {
    if (corked) res.uncork()
    if (isStreamBody(body)) body.cancel(error)
    sendFailure(res, logger, error, out.headers)
    return
  }
  return pipeStream(res, body, logger)
}

/**
 * The last resort when writing threw: log, then an empty 500 (dropping `headers`, the ones that
 * were being written) while nothing has left, or a destroyed socket once the headers are out,
 * so a keep-alive client never reads a truncated body as complete.
 */
export function sendFailure(res: ServerResponse, logger: Logger, error: unknown, headers: Outgoing['headers'] = []): void {
  const req = (res as ServerResponse & { req?: { method?: string; url?: string } }).req
  const what = req ? ` to ${req.method} ${req.url}` : ''
  try {
    logger.error(`Routeware could not write the response${what}; ${res.headersSent ? 'the connection was closed' : 'answered 500 instead'}:`, error)
    if (!res.headersSent) {
      for (const [name] of headers) res.removeHeader(name)
      res.statusCode = 500
      res.statusMessage = ''
      res.setHeader('content-length', 0)
      res.end()
      return
    }
  } catch {
    // Nothing more can be said on this connection.
  }
  res.destroy()
}

async function pipeStream(res: ServerResponse, body: StreamBody, logger: Logger): Promise<void> {
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
