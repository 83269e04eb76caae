/** `createHandler`: the same pipeline as the adapters, with a fetch `Request` in and a `Response` out. */
import { resolveOptions, type Logger, type ResolvedRoutesOptions, type RoutesOptions } from './options.js'
import { PassToHost } from './run-route.js'
import { createRouter, type HostRequest } from './router.js'
import { webBodySource, type BodySource } from './web/body-source.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toHostRequest } from './node/host-request.js'
import { sendResponse } from './node/send-response.js'
import { serveNode } from './node/serve-node.js'
import { emptyOutgoing, isStreamBody, type Outgoing } from './web/outgoing.js'

/**
 * A fetch-style handler: `(request) => Promise<Response>`, 404 when nothing matches. It is also a
 * `node:http` request listener, `http.createServer(handle)`: called with `(req, res)` it serves
 * the Node request directly, with no `Request` or `Response` built unless the handler asks.
 * `close()` stops dev watching.
 */
export type FetchHandler = ((request: Request) => Promise<Response>) &
  ((req: IncomingMessage, res: ServerResponse) => void) & { close(): Promise<void> }

/** Load `dir` and resolve to a fetch-style handler. Rejects with the load error, naming the file. */
export async function createHandler(input: RoutesOptions | string | URL): Promise<FetchHandler> {
  const options = resolveOptions(input)
  const router = createRouter(options)
  await router.ready()
  const { logger, bodyLimit } = options
  const fetchHandle = async (request: Request): Promise<Response> => {
    let out: Outgoing | undefined
    try {
      out = await router.handle(new FetchHostRequest(request, options))
    } catch (error) {
      if (!(error instanceof PassToHost)) throw error
      logger.error(error.error)
      return new Response(null, { status: 500 })
    }
    if (!out) return new Response(null, { status: 404 })
    try {
      return toResponse(out)
    } catch (error) {
      // Core checked every header and the status text already; this is the last resort.
      if (isStreamBody(out.body)) out.body.cancel(error)
      logger.error(`Routeware could not build the response to ${request.method} ${new URL(request.url).pathname}; answered 500 instead:`, error)
      return new Response(null, { status: 500 })
    }
  }
  const nodeHandle = (req: IncomingMessage, res: ServerResponse): void => {
    const host = toHostRequest(req, res, {
      url: req.url ?? '/',
      prefix: '',
      protocol: (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
      host: req.headers.host,
      logger,
      bodyLimit,
    })
    serveNode(router, host, res, logger, () => sendResponse(res, emptyOutgoing(404), logger), (error) => {
      logger.error(error instanceof PassToHost ? error.error : error)
      if (!res.headersSent) res.statusCode = 500
      res.end()
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

/** A fetch `Request` as the host request: its URL is already absolute and normalized by the URL parser. */
class FetchHostRequest implements HostRequest {
  readonly method: string
  readonly url: string
  readonly basePath = ''
  readonly logger: Logger
  constructor(
    private readonly request: Request,
    private readonly options: ResolvedRoutesOptions,
  ) {
    const url = new URL(request.url)
    this.method = request.method
    this.url = url.pathname + url.search
    this.logger = options.logger
  }
  fullUrl(): string {
    return this.request.url
  }
  headers(): Headers {
    return this.request.headers
  }
  body(): BodySource | null {
    return this.request.body ? webBodySource(this.request.body, this.options.bodyLimit) : null
  }
  signal(): AbortSignal {
    return this.request.signal
  }
}

/** An `Outgoing` as a fetch `Response`. */
export function toResponse(out: Outgoing): Response {
  const headers = new Headers()
  for (const [name, value] of out.headers) headers.append(name, value)
  const { body } = out
  const init: ResponseInit = { status: out.status, statusText: out.statusText, headers }
  if (!isStreamBody(body)) return new Response(body as Uint8Array | string | null, init)
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await body.next()
          if (chunk === undefined) controller.close()
          else controller.enqueue(chunk)
        } catch (error) {
          controller.error(error)
        }
      },
      cancel(reason) {
        body.cancel(reason)
      },
    }),
    init,
  )
}
