/**
 * The writer for Node's `ServerResponse` (Express, the `createHandler` listener): the router's
 * outcome decoded once, headers by the shared rule, a known body in one write with its length,
 * a stream through the shared pump. Never throws, never rejects.
 */
import type { ServerResponse } from 'node:http'
import type { Logger } from '../options.js'
import { HostError, isStreamBody, MISS, ONE_WRITE_MAX_BYTES, type Outcome, type Outgoing } from '../seam.js'
import { applyHeaders } from './headers.js'
import { pumpStream } from './pump.js'


const toBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))

/** What a Node host does with the outcomes that are not a response. */
export interface NodeOutcomeHandlers {
  /** No route serves the path (Express `next()`, the listener's 404). */
  miss(): void
  /** A failed load or `onError: 'next'` (Express `next(err)`, the listener's 500). */
  fail(error: unknown): void
}

/**
 * Write the router's outcome on `res`. Synchronous when the outcome is; nothing thrown on the way
 * (by the writer, or by the host's `next`) becomes an unhandled rejection: it ends this response.
 */
export function sendOutcome(res: ServerResponse, outcome: Outcome | Promise<Outcome>, logger: Logger, host: NodeOutcomeHandlers): void {
  if (outcome instanceof Promise) {
    outcome.then(
      (settled) => write(res, settled, logger, host),
      (error: unknown) => write(res, new HostError(error), logger, host),
    )
  } else write(res, outcome, logger, host)
}

function write(res: ServerResponse, outcome: Outcome, logger: Logger, host: NodeOutcomeHandlers): void {
  try {
    if (outcome === MISS) host.miss()
    else if (outcome instanceof HostError) host.fail(outcome.error)
    else void sendResponse(res, outcome, logger)
  } catch (error) {
    sendFailure(res, logger, error)
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
      // Node joins a string body to the headers and writes them as one chunk; bytes would go as a
      // second chunk (a writev of two: about 10,000 instructions more a response). Latin-1 maps
      // each byte to one character and back, so the bytes on the wire are the same.
      if (typeof body !== 'string' && body.byteLength <= ONE_WRITE_MAX_BYTES) res.end(toBuffer(body).toString('latin1'), 'latin1')
      else res.end(body)
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
  return pumpStream(res, body, logger)
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
