/** `createHandler`: the same pipeline as the adapters, with a fetch `Request` in and a `Response` out. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toHostRequest } from './node/to-host-request.js'
import { resolveOptions, type RoutesOptions } from './options.js'
import { createRouter } from './router.js'
import { emptyOutgoing, type BodySource, type HostRequest } from './seam.js'
import { webBodySource } from './web/body-source.js'
import { sendOutcome, sendResponse } from './write/node.js'
import { toFetchResponse, type Delivery } from './write/web.js'

/**
 * A fetch-style handler: `(request) => Promise<Response>`, 404 when nothing matches. It is also a
 * `node:http` request listener, `http.createServer(handle)`: called with `(req, res)` it serves
 * the Node request directly, with no `Request` or `Response` built unless the handler asks.
 * `close()` stops dev watching and waits for requests in flight and `after()` tasks (`shutdownTimeout`).
 */
export type FetchHandler = ((request: Request) => Promise<Response>) &
  ((req: IncomingMessage, res: ServerResponse) => void) & { close(): Promise<void> }

/** Load `dir` and resolve to a fetch-style handler. Rejects with the load error, naming the file. */
export async function createHandler(input: RoutesOptions | string | URL): Promise<FetchHandler> {
  const options = resolveOptions(input)
  const router = createRouter(options)
  await router.ready()
  const { logger } = options
  const fetchHandle = (request: Request): Promise<Response> => {
    const host = new FetchHostRequest(request)
    return toFetchResponse(router.handle(host), logger, () => `${request.method} ${host.url}`, host)
  }
  const nodeHandle = (req: IncomingMessage, res: ServerResponse): void => {
    const host = toHostRequest(req, res, {
      url: req.url ?? '/',
      prefix: '',
      protocol: (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
      host: req.headers.host,
    })
    sendOutcome(res, router.handle(host), logger, {
      miss: () => sendResponse(res, emptyOutgoing(404), logger),
      fail(error) {
        logger.error(error)
        if (!res.headersSent) res.statusCode = 500
        res.end()
      },
    })
  }
  function handle(request: Request): Promise<Response>
  function handle(req: IncomingMessage, res: ServerResponse): void
  function handle(request: Request | IncomingMessage, res?: ServerResponse): Promise<Response> | void {
    if (res !== undefined) return nodeHandle(request as IncomingMessage, res)
    return fetchHandle(request as Request)
  }
  return Object.assign(handle, { close: () => router.close() })
}

/**
 * A fetch `Request` as the host request: its URL is already absolute and normalized by the URL
 * parser. Its response counts as sent once its body was read to the end or cancelled (or it has
 * none): a fetch handler hears nothing later of the send.
 */
class FetchHostRequest implements HostRequest, Delivery {
  readonly method: string
  readonly url: string
  readonly basePath = ''
  #delivered = false
  #waiting: Array<() => void> | undefined = undefined
  constructor(private readonly request: Request) {
    const url = new URL(request.url)
    this.method = request.method
    this.url = url.pathname + url.search
  }
  fullUrl(): string {
    return this.request.url
  }
  headers(): Headers {
    return this.request.headers
  }
  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined
  }
  body(limit: number): BodySource | null {
    return this.request.body ? webBodySource(this.request.body, limit) : null
  }
  signal(): AbortSignal {
    return this.request.signal
  }
  /** Headers the proxy's `next()` set, for the 404 when no route matched. */
  missHeaders: ReadonlyArray<[string, string]> | undefined
  forward(_requestHeaders: Headers | undefined, responseHeaders: ReadonlyArray<[string, string]>): void {
    this.missHeaders = responseHeaders
  }
  onSent(callback: () => void): void {
    if (this.#delivered) setImmediate(callback)
    else (this.#waiting ??= []).push(callback)
  }
  get awaited(): boolean {
    return this.#waiting !== undefined
  }
  delivered(): void {
    if (this.#delivered) return
    this.#delivered = true
    const waiting = this.#waiting
    if (waiting === undefined) return
    this.#waiting = undefined
    // The next turn: the server that asked for the Response writes it first.
    setImmediate(() => {
      for (const callback of waiting) callback()
    })
  }
}
