/**
 * Lingering close past `bodyLimit`: after the 413, the rest of the request is read and dropped
 * for a bounded time and size before the connection closes, so a client that writes its whole
 * body before it reads still reads the answer.
 *
 * Why: closing a socket with the client's bytes still unread makes the kernel answer with a
 * reset, which can erase the response before the client reads it (RFC 9112 §9.6, Tear-down); a
 * client still writing gets EPIPE or ECONNRESET instead of the 413. Node's http server ends a
 * `Connection: close` response with `socket.destroySoon()` the moment it is written
 * (lib/_http_server.js, `resOnFinish`), and the 413 says `Connection: close`.
 *
 * What others do: Fastify answers a body parser's error, its 413 included, with
 * `Connection: close` and leaves the close to Node (lib/content-type-parser.js), so the same race.
 * body-parser reads the whole request before it answers (lib/read.js, `dump`): the answer always
 * lands, after however many bytes and seconds the client takes. nginx and Apache answer, then read
 * and drop for a bounded time (nginx `lingering_close`, `lingering_time` 30 s:
 * https://nginx.org/en/docs/http/ngx_http_core_module.html#lingering_close). This does as nginx
 * does, with tighter bounds and no half-close: the answer goes out at once, the connection stays
 * open with nothing buffered until the body ends, `LINGER_BYTES` were dropped or `LINGER_MS`
 * passed, and then Node's own close runs. Within the bounds a client that writes first finishes
 * its upload without an error and reads the 413, as from body-parser.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'

/**
 * How long the rest of a body is read past the limit, from the moment it crossed it. A few
 * seconds: what a client on a slow link needs to send a few MiB more, and short enough that
 * holding the socket costs nothing.
 */
const LINGER_MS = 5000

/**
 * How many bytes are read and dropped at most: an upload a few times the limit completes
 * (5 MiB against 1 MiB, with Content-Length declared and nothing read yet), an endless one does not.
 */
const LINGER_BYTES = 8 * 1024 * 1024

/**
 * Read and drop the rest of `req`'s body (through `input`, the stream the body was read from),
 * and close the connection only once it ended or a bound was reached. Nothing is buffered.
 */
export function drainPastLimit(req: IncomingMessage, res: ServerResponse, input: Readable): void {
  const socket = req.socket as IncomingMessage['socket'] | null
  // Undocumented (though @types/node declares it): checked first, as Node's own resOnFinish does.
  const destroySoon = socket?.destroySoon as (() => void) | undefined
  // HTTP/1 only: an HTTP/2 stream ends on its own, and its `socket` is the whole session's.
  if (!socket || socket.destroyed || req.complete || req.httpVersionMajor !== 1 || typeof destroySoon !== 'function') {
    input.resume()
    return
  }
  const ownMethod = Object.hasOwn(socket, 'destroySoon')
  let dropped = 0
  let closeAsked = false
  // Node calls this once a `Connection: close` response is written, to send FIN and close at
  // once: held until the body ends (or a bound is reached), so the close finds nothing unread.
  socket.destroySoon = () => {
    closeAsked = true
  }
  const close = () => destroySoon.call(socket)
  const onData = (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > LINGER_BYTES) giveUp()
  }
  const onEnd = () => {
    stop()
    // The body is read: the close is clean, or a keep-alive connection stays usable.
    if (closeAsked) close()
  }
  const giveUp = () => {
    stop()
    // Stop reading (TCP backpressure bounds what is in flight) and close once the answer is out.
    input.pause()
    req.pause()
    if (closeAsked || res.writableFinished) close()
    else res.once('finish', close)
  }
  const stop = () => {
    clearTimeout(timer)
    if (ownMethod) socket.destroySoon = destroySoon
    else Reflect.deleteProperty(socket, 'destroySoon')
    req.off('data', onData).off('end', onEnd).off('close', stop)
  }
  const timer = setTimeout(giveUp, LINGER_MS)
  timer.unref()
  // 'close' without 'end': the client went away, nothing is left to drain.
  req.on('data', onData).on('end', onEnd).on('close', stop)
  input.resume()
}
