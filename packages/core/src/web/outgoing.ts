/**
 * A handler's `Response` read into the seam's `Outgoing`: a body already complete becomes bytes,
 * a stream stays a stream (chunks a producer has ready leave together).
 */

import { isStreamBody, type Outgoing, type StreamBody } from '../seam.js'
import { lightHeaderEntries, lightResponseState } from './next-response.js'
import { checkStatus, toSendableHeaders } from './outgoing-headers.js'
import { isByteStream, isDecodedBody } from './fetch-decoded.js'

const PENDING = Symbol('pending')
/** Most bytes joined into one chunk of a stream body. */
const COALESCE_BYTES = 64 * 1024
type ReadResult = { done: true; value?: Uint8Array } | { done: false; value: Uint8Array }

/** Wait a few microtasks for `promise`: long enough for an already-filled stream, never for I/O. */
async function settleSoon(promise: Promise<ReadResult>): Promise<ReadResult | typeof PENDING> {
  let result: ReadResult | typeof PENDING = PENDING
  let failed = false
  let failure: unknown
  promise.then(
    (value) => (result = value),
    (error) => {
      failed = true
      failure = error
    },
  )
  for (let i = 0; i < 8 && result === PENDING && !failed; i++) await null
  if (failed) throw failure
  return result
}

/** Node 20's undici keeps the bytes a Response was built from; Node 22+ hides them (private fields). */
const kUndiciState = Object.getOwnPropertySymbols(new Response('')).find((s) => s.description === 'state')

function knownSource(response: Response): string | Uint8Array | undefined {
  if (kUndiciState === undefined || response.bodyUsed) return undefined
  const state = (response as unknown as Record<symbol, { body?: { source?: unknown; stream?: ReadableStream } } | undefined>)[kUndiciState]
  const source = state?.body?.source
  if (state?.body?.stream?.locked) return undefined
  return typeof source === 'string' || source instanceof Uint8Array ? source : undefined
}

const toBytes = (chunk: unknown): Uint8Array => {
  if (chunk instanceof Uint8Array) return chunk
  if (typeof chunk === 'string') return Buffer.from(chunk)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  throw new TypeError('Received non-Uint8Array chunk in a response body stream. Enqueue Uint8Array chunks (a TextEncoder turns strings into bytes).')
}

/**
 * Read a Response-like object (undici `Response`, `NextResponse`, a ponyfill or another realm's
 * Response) into an `Outgoing`. A body that is already complete becomes bytes; a stream stays a
 * stream, and its headers can go out before its first chunk exists.
 *
 * Throws (the body cancelled) when a header or the status could not be written as given; drops
 * the framing fields the writer owns, and the `content-encoding` of a body fetch already decoded.
 */
export function toOutgoing(response: Response, headOnly: boolean): Outgoing | Promise<Outgoing> {
  const light = lightResponseState(response)
  if (light !== undefined && light.stream === undefined && !light.used) {
    // NextResponse.json()/redirect(): the string as given, no stream, no Headers unless asked for.
    // Status and status text were checked when it was built; headers only exist if the handler gave some.
    const noBody = headOnly || light.status === 204 || light.status === 304
    const entries = lightHeaderEntries(light)
    const headers = light.headers === undefined && light.init === undefined ? entries : toSendableHeaders(entries, true)
    return { status: light.status, statusText: light.statusText, headers, body: noBody ? null : light.body }
  }
  const status = response.status
  const statusText = response.statusText ?? ''
  let headers: Array<[string, string]> = []
  try {
    checkStatus(status, statusText)
    const source = response.headers
    for (const entry of source) headers.push(entry)
    headers = toSendableHeaders(headers, source instanceof Headers)
  } catch (error) {
    discard(response)
    throw error
  }
  const out: Outgoing = { status, statusText, headers, body: null }
  const stream = response.body
  if (stream === null || stream === undefined) return out
  if (headOnly || status === 204 || status === 304) {
    stream.cancel().catch(() => {})
    return out
  }
  let encoding: string | undefined
  for (const [name, value] of headers) if (name === 'content-encoding') encoding = value
  const coding = encoding === undefined ? undefined : { encoding, fromFetch: response.type === 'basic' || response.type === 'cors' }
  const known = knownSource(response)
  if (known !== undefined) {
    out.body = known
    if (coding) dropDecodedCoding(out, coding, typeof known === 'string' ? undefined : known, false)
    return out
  }
  return peek(out, stream, coding)
}

/** Cancel the body of a response that will not be sent. */
function discard(response: Response): void {
  try {
    response.body?.cancel().catch(() => {})
  } catch {
    // A ponyfill's body getter may throw: nothing left to cancel then.
  }
}

/** `content-encoding` as the handler gave it, and whether the Response is fetch's own. */
interface Coding {
  encoding: string
  fromFetch: boolean
}

/** Drop `content-encoding` from a body fetch already decoded (see fetch-decoded.ts). */
function dropDecodedCoding(out: Outgoing, coding: Coding, first: Uint8Array | undefined, byteStream: boolean): void {
  if (!isDecodedBody(coding.encoding, first, { fromFetch: coding.fromFetch, byteStream })) return
  out.headers = out.headers.filter(([name]) => name !== 'content-encoding')
}

/** Read what is already there: a body complete within a few microtasks becomes bytes, the rest streams. */
async function peek(out: Outgoing, stream: ReadableStream<Uint8Array>, coding?: Coding): Promise<Outgoing> {
  // Asked before the reader locks the stream: fetch bodies are byte streams.
  const byteStream = coding !== undefined && !coding.fromFetch && isByteStream(stream)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let pending: Promise<ReadResult> | undefined
  // Peek: a body that completes within a few microtasks is sent in one write.
  for (let i = 0; i < 2; i++) {
    const read = reader.read()
    // A coded body waits for its first bytes: they tell whether fetch already decoded it.
    const result = coding !== undefined && i === 0 ? await read : await settleSoon(read)
    if (result === PENDING) {
      pending = read
      break
    }
    if (result.done) {
      out.body = chunks.length === 0 ? new Uint8Array(0) : chunks[0]!
      if (coding) dropDecodedCoding(out, coding, out.body, false)
      return out
    }
    chunks.push(toBytes(result.value))
  }
  if (coding) dropDecodedCoding(out, coding, chunks[0], byteStream)
  let ended = false
  let failure: { error: unknown } | undefined
  /** The next chunk from the reader, or `undefined` at the end. */
  const readOne = async (): Promise<Uint8Array | undefined> => {
    const result = await (pending ?? reader.read())
    pending = undefined
    return result.done ? undefined : toBytes(result.value)
  }
  out.body = {
    // One chunk, plus every chunk the producer already has ready, joined (up to COALESCE_BYTES):
    // a stream enqueued in one go leaves in a few writes instead of one syscall per chunk, while a
    // chunk that waits on I/O (an SSE event) still goes out alone, at once.
    async next() {
      if (failure) throw failure.error
      if (ended) return undefined
      const first = chunks.length > 0 ? chunks.shift()! : await readOne()
      if (first === undefined) return undefined
      const parts = [first]
      let size = first.byteLength
      while (size < COALESCE_BYTES) {
        let chunk = chunks.shift()
        if (chunk === undefined) {
          const read = pending ?? reader.read()
          pending = undefined
          let result: ReadResult | typeof PENDING
          try {
            result = await settleSoon(read)
          } catch (error) {
            failure = { error } // the bytes before the failure go out first
            break
          }
          if (result === PENDING) {
            pending = read
            break
          }
          if (result.done) {
            ended = true
            break
          }
          chunk = toBytes(result.value)
        }
        parts.push(chunk)
        size += chunk.byteLength
      }
      return parts.length === 1 ? first : Buffer.concat(parts, size)
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {})
    },
  }
  return out
}

/** Next's 308 for a path it normalizes: `Location`, `Refresh`, and the destination as the body. */
export function redirectOutgoing(location: string): Outgoing {
  return {
    status: 308,
    statusText: '',
    headers: [
      ['location', location],
      ['refresh', `0;url=${location}`],
      ['content-type', 'text/plain; charset=utf-8'],
    ],
    body: location,
  }
}
