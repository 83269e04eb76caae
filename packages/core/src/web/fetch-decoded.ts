/**
 * A body that undici's `fetch` already decoded, re-sent under the coding it no longer has.
 *
 * undici's fetch decodes a response whose `content-encoding` lists only gzip, x-gzip, deflate,
 * br (and zstd on newer versions), at most five of them, yet keeps `content-encoding` and
 * `content-length` as the server sent them (nodejs/undici lib/web/fetch/index.js,
 * `onResponseStart`: the `decoders` list). It marks neither the Response nor its body stream, so
 * `new Response(upstream.body, { headers: upstream.headers })` hands the writer decoded bytes
 * under the upstream's coding and length: a client would decode them again and fail.
 */

const DECODED_BY_FETCH = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'zstd'])
const MAX_CODINGS = 5

/** The outermost coding, if undici's fetch would have decoded a body sent with `encoding`. */
function outerCoding(encoding: string): string | undefined {
  const codings = encoding.toLowerCase().split(',')
  if (codings.length > MAX_CODINGS) return undefined
  for (let i = 0; i < codings.length; i++) {
    codings[i] = codings[i]!.trim()
    if (!DECODED_BY_FETCH.has(codings[i]!)) return undefined
  }
  // Codings are listed in the order they were applied (RFC 9110 §8.4): the last one comes off first.
  return codings[codings.length - 1]
}

/** RFC 1952 §2.3.1: every gzip member starts with ID1 ID2 = 1f 8b. */
const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b
/** RFC 8878 §3.1.1: a zstd frame starts with the magic number 0xFD2FB528, little-endian. */
const isZstd = (b: Uint8Array) => b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd
/** RFC 1950 §2.2: a zlib stream's CMF/FLG pair (method 8, window up to 32 KiB, FCHECK). */
const isZlib = (b: Uint8Array) => b.length >= 2 && (b[0]! & 0x0f) === 8 && b[0]! >> 4 <= 7 && ((b[0]! << 8) | b[1]!) % 31 === 0

/** How the body reached the writer, for codings whose bytes do not tell. */
export interface BodyOrigin {
  /** The Response is fetch's own (`type` basic or cors), not one a handler built. */
  fromFetch: boolean
  /** The body is still streaming from a byte stream, as undici's fetch body is. */
  byteStream: boolean
}

/**
 * True when a body sent under `encoding` is in fact decoded, so `content-encoding` must go.
 * fetch's own Response follows undici's rule. A Response a handler built over some body: gzip,
 * x-gzip and zstd carry a signature, so the first bytes decide; br and deflate carry none a plain
 * body could not also start with, so such a body counts as decoded when it streams from a byte
 * stream (what undici's fetch body is; CompressionStream, `Readable.toWeb()` and
 * `new ReadableStream({ pull })` streams are not), unless a deflate body opens with a zlib header.
 */
export function isDecodedBody(encoding: string, first: Uint8Array | undefined, origin: BodyOrigin): boolean {
  const coding = outerCoding(encoding)
  if (coding === undefined) return false
  const bytes = first ?? new Uint8Array(0)
  // undici decodes zstd only where node:zlib has it (Node 22.15+, 23.8+): the bytes tell.
  if (coding === 'zstd') return !isZstd(bytes)
  if (origin.fromFetch) return true
  if (coding === 'gzip' || coding === 'x-gzip') return !isGzip(bytes)
  if (coding === 'deflate' && isZlib(bytes)) return false
  return origin.byteStream
}

/** True for a stream of type `bytes`, without reading from it or leaving it locked. */
export function isByteStream(stream: ReadableStream): boolean {
  try {
    stream.getReader({ mode: 'byob' }).releaseLock()
    return true
  } catch {
    return false
  }
}
