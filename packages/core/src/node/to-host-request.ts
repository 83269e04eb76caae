/** The `HostRequest` for a Node `IncomingMessage`: what both Node adapters share. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Logger } from '../options.js'
import type { BodySource, HostRequest, ParsedBody } from '../seam.js'
import { applyHeaders } from '../write/headers.js'
import { drainPastLimit } from './lingering-close.js'
import { nodeBodySource, parsedBodySource } from './request-body.js'

/** What only the host framework knows. */
export interface NodeHostInit {
  /** Raw path and query, prefix included (`req.originalUrl`, `request.raw.url`). */
  url: string
  prefix: string
  /** `http` or `https`, as the host resolves it (trust proxy). */
  protocol: string
  /** `host[:port]`, as the host resolves it (trust proxy). */
  host: string | undefined
  /** The host's logger for this request (Fastify's `request.log`), when it has its own. */
  logger?: Logger
  /** The body stream when a host hook replaced it (Fastify preParsing); defaults to `req`. */
  payload?: Readable
  /** What a host body parser already read, if one did (Express body-parser). */
  parsed?: (() => ParsedBody | undefined) | undefined
}

/** The common `Host` shapes (a name or IPv4 address, an optional port): valid without asking the URL parser. */
const PLAIN_HOST = /^[A-Za-z0-9.\-_~]+(?::\d{1,4})?$/

/**
 * `protocol://host` + `url` when the URL parser accepts that host, else the same URL on
 * `localhost`: a hostile `Host` (`[`, `%zz`, a port past 65535) must never make building the
 * request's URL throw, not in the handler and not in the error path that logs it.
 */
export function safeFullUrl(protocol: string, host: string | undefined, url: string): string {
  if (host && (PLAIN_HOST.test(host) || URL.canParse(`${protocol}://${host}/`))) return `${protocol}://${host}${url}`
  return `${protocol}://localhost${url}`
}

/** One request as Node and the host framework see it. Nothing is converted until the handler asks. */
class NodeHostRequest implements HostRequest {
  readonly method: string
  readonly url: string
  readonly basePath: string
  readonly logger: Logger | undefined
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly init: NodeHostInit,
  ) {
    this.method = req.method ?? 'GET'
    this.url = init.url
    this.basePath = init.prefix
    this.logger = init.logger
  }
  fullUrl(): string {
    const { host, protocol } = this.init
    return safeFullUrl(protocol, host, this.url)
  }
  headers(): Headers {
    return toHeaders(this.req.rawHeaders)
  }
  header(name: string): string | undefined {
    const value = this.req.headers[name]
    return Array.isArray(value) ? value.join(', ') : value
  }
  body(limit: number): BodySource | null {
    const { req, init } = this
    const length = req.headers['content-length']
    if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return null
    const parsed = init.parsed?.()
    if (parsed) return parsedBodySource(parsed, limit)
    const input = init.payload ?? req
    return nodeBodySource(input, length, limit, () => drainPastLimit(req, this.res, input))
  }
  signal(): AbortSignal {
    return responseSignal(this.res)
  }
  forward(requestHeaders: Headers | undefined, responseHeaders: ReadonlyArray<[string, string]>): void {
    const { req, res } = this
    if (requestHeaders !== undefined) {
      // What the host's own routes and 404 handler read next (Express `req.headers`, Fastify `request.headers`).
      const plain: Record<string, string> = {}
      const raw: string[] = []
      for (const [name, value] of requestHeaders) {
        plain[name] = value
        raw.push(name, value)
      }
      req.headers = plain
      req.rawHeaders = raw
    }
    if (!res.headersSent) applyHeaders(res, responseHeaders as Array<[string, string]>)
  }
  onSent(callback: () => void): void {
    const { res } = this
    // 'close' follows 'finish' on every response, and comes alone when the client goes first.
    if (res.writableFinished || res.destroyed) setImmediate(callback)
    else res.once('close', callback)
  }
}

/** The `HostRequest` for one Node request. */
export function toHostRequest(req: IncomingMessage, res: ServerResponse, init: NodeHostInit): HostRequest {
  return new NodeHostRequest(req, res, init)
}

/** Node's raw header pairs as `Headers` (repeated values are joined, HTTP/2 pseudo-headers left out). */
export function toHeaders(raw: readonly string[]): Headers {
  const headers = new Headers()
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (name.charCodeAt(0) === 58) continue // ':authority' and friends
    try {
      headers.append(name, raw[i + 1]!)
    } catch {
      // A value the Fetch API refuses (Node accepts some it does not): leave it out.
    }
  }
  return headers
}

/**
 * One AbortController per request, created only when the handler reads `request.signal`.
 * It aborts when the response closes before it finished (client gone), never on a normal end:
 * listening to `res`, not `req`: since Node 16 an `IncomingMessage` emits 'close' as soon as its
 * body is read, not when the client goes.
 */
export function responseSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  const abort = () => controller.abort(new DOMException('The client closed the connection before the response was sent.', 'AbortError'))
  if (res.writableEnded) return controller.signal
  if (res.destroyed || res.closed) {
    abort()
    return controller.signal
  }
  const onClose = () => {
    if (!res.writableFinished) abort()
  }
  res.once('close', onClose)
  return controller.signal
}
