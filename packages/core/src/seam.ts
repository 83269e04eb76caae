/**
 * The seam between core and a host: every type that crosses it, and nothing of core's stages.
 * An adapter translates its framework's request into a `HostRequest`, hands it to the router, and
 * writes the `Outcome` it gets back with the writer for its host kind (`write/`).
 */
import type { Logger } from './options.js'

/** A request body not yet read. */
export interface BodySource {
  /** Every byte, as one buffer. Rejects past the limit or when the client hangs up. */
  collect(): Promise<Uint8Array>
  /** The body as a web stream (errors the same way). */
  stream(): ReadableStream<Uint8Array>
  /** `request.json()` without the bytes, when a host parser already parsed the body. */
  json?(): Promise<unknown>
  /** `request.formData()` without the bytes, when a host parser already parsed the body. */
  formData?(): Promise<FormData>
}

/** A body a host parser (body-parser, `express.json()`…) already read. */
export interface ParsedBody {
  /** `req.body` as the parser left it. */
  value: unknown
  /** The exact bytes, when something kept them (`keepRawBody`, `express.raw()`). */
  raw: Uint8Array | undefined
  contentType: string
  /** The parser that read it, for the error message: `express.json()`. */
  parser: string
  /** How to keep the bytes with this host, in the adapter's own words (Express: `keepRawBody`). */
  fix?: string
}

/**
 * What a handler's `NextRequest` reads, lazily. Sources are classes (methods on a prototype), so
 * a request costs one small object, not a bag of closures.
 */
export interface RequestSource {
  readonly method: string
  /** The mount prefix (`''` at the root); `nextUrl.basePath`. */
  readonly basePath: string
  /** The full URL, with the mount prefix. */
  fullUrl(): string
  headers(): Headers
  /**
   * One request header (repeated ones joined as Node joins them: `cookie` with `; `), read without
   * building `headers()`; `undefined` when absent. Optional: callers fall back to `headers()`.
   */
  header?(name: string): string | undefined
  /**
   * The body, not yet read; `null` when there is none. Called at most once, never for GET/HEAD.
   * `limit` is the router's `bodyLimit`: reads past it reject.
   */
  body(limit: number): BodySource | null
  /** Aborts when the client hangs up before the response finished. */
  signal(): AbortSignal
}

/** What a host knows about one request. No framework type crosses this line. */
export interface HostRequest extends RequestSource {
  /** Path and query exactly as received, mount prefix included (`req.originalUrl`, `request.raw.url`). */
  readonly url: string
  /** The host's own logger for this request (Fastify's `request.log`); the router's logger otherwise. */
  readonly logger?: Logger
  /**
   * Call `callback` once the response to this request has been sent, or the client went away:
   * `after()` tasks run then. Asked only of requests whose handler called `after()`.
   */
  onSent?(callback: () => void): void
  /**
   * The proxy said go on and no route matched: the host goes on with `requestHeaders` (when the
   * proxy replaced them) and its answer carries `responseHeaders` (those set on `next()`).
   */
  forward?(requestHeaders: Headers | undefined, responseHeaders: ReadonlyArray<[string, string]>): void
}

/** A response body still being produced. */
export interface StreamBody {
  /** The next chunk, or `undefined` at the end. Rejects if the stream errors. */
  next(): Promise<Uint8Array | undefined>
  /** Stop the producer (client gone, or HEAD). */
  cancel(reason?: unknown): void
}

/**
 * A response ready to write. Header names are lowercase; each `set-cookie` is its own entry. A
 * body whose bytes are known is sent in one write with `content-length`; a `StreamBody` is pulled
 * chunk by chunk (backpressure), never buffered.
 */
export interface Outgoing {
  status: number
  /** `''` for the default reason phrase. */
  statusText: string
  headers: Array<[string, string]>
  body: string | Uint8Array | StreamBody | null
}

/** True when `body` is a `StreamBody`. */
/**
 * Known bodies up to this size leave in one write with the headers, as text (Node joins a string
 * body to its headers; bytes go as a second chunk, a writev): the Node writer, the Fastify writer
 * and a cached entry's replay share this one bound.
 */
export const ONE_WRITE_MAX_BYTES = 16 * 1024

export function isStreamBody(body: Outgoing['body']): body is StreamBody {
  return body !== null && typeof body === 'object' && !(body instanceof Uint8Array)
}

/** An empty response with the given status and headers. */
export function emptyOutgoing(status: number, headers: Array<[string, string]> = []): Outgoing {
  return { status, statusText: '', headers, body: null }
}

/** The outcome `MISS`: no route serves this path; the host goes on (Express `next()`, a 404). */
export const MISS: unique symbol = Symbol('routeware.miss')

/**
 * An error the host should see: a route tree that failed to load, or a handler error with
 * `onError: 'next'` (Express hands it to `next(err)`; the other hosts log it and answer 500).
 */
export class HostError {
  constructor(readonly error: unknown) {}
}

/**
 * What the router answers for one request: a response to write, `MISS`, or a `HostError`. It is
 * returned synchronously when no handler runs (a redirect, a 400, a miss), and never rejects.
 */
export type Outcome = Outgoing | typeof MISS | HostError
