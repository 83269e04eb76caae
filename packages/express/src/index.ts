/** `@routeware/express`: serve an app directory of route files from Express 4 or 5. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createRouter,
  PassToHost,
  resolveOptions,
  sendResponse,
  toHostRequest,
  type RoutesOptions,
} from '@routeware/core/adapter'

/** Options of `routes()`: the core options; `onError` may also be `'next'`. */
export type ExpressRoutesOptions = RoutesOptions

/** Express's request as far as Routeware reads it (4.x and 5.x alike). */
interface ExpressRequest extends IncomingMessage {
  originalUrl: string
  baseUrl: string
  protocol: string
  app: { get(setting: 'trust proxy fn'): (address: string | undefined, hop: number) => boolean }
}

/** The middleware `routes()` returns. */
export interface RoutewareMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void
  /** Resolves once the route tree is loaded; rejects with the load error, naming the file. */
  ready(): Promise<void>
  /** Stops file watching (dev mode). */
  close(): Promise<void>
}

/**
 * An Express middleware serving the route files under `dir`. Unmatched paths call `next()`;
 * requests that arrive while loading wait; a failed load goes to `next(err)`.
 * Mount it before body parsers so handlers read the untouched body.
 */
export default function routes(input: ExpressRoutesOptions | string | URL): RoutewareMiddleware {
  const options = resolveOptions(input, { allowNext: true })
  const router = createRouter(options)
  const { logger, bodyLimit } = options
  const middleware = ((req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    const host = toHostRequest(req, res, {
      url: req.originalUrl,
      prefix: req.baseUrl,
      protocol: req.protocol,
      host: hostOf(req),
      logger,
      bodyLimit,
    })
    router.handle(host).then(
      (out) => (out ? sendResponse(res, out, logger) : next()),
      (error: unknown) => next(error instanceof PassToHost ? error.error : error),
    )
  }) as RoutewareMiddleware
  middleware.ready = () => router.ready()
  middleware.close = () => router.close()
  return middleware
}

export { routes }

/**
 * Express's own host resolution (X-Forwarded-Host only from a trusted proxy), keeping the port:
 * Express 4's `req.hostname` drops it, and `req.host` there is a deprecated alias.
 */
function hostOf(req: ExpressRequest): string | undefined {
  let host = req.headers['x-forwarded-host'] as string | undefined
  if (!host || !req.app.get('trust proxy fn')(req.socket.remoteAddress, 0)) return req.headers.host
  const comma = host.indexOf(',')
  if (comma !== -1) host = host.slice(0, comma).trimEnd()
  return host
}
