/** `@routeware/express`: serve an app directory of route files from Express 4 or 5. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRouter, logServedRoutes, resolveOptions, sendOutcome, toHostRequest, type ParsedBody, type RoutesOptions } from '@routeware/core/adapter'

/** Options of `routes()`: the core options; `onError` may also be `'next'`. */
export type ExpressRoutesOptions = RoutesOptions

/** Express's request as far as Routeware reads it (4.x and 5.x alike). */
interface ExpressRequest extends IncomingMessage {
  /** Set by body-parser 1.x once it read the stream. */
  _body?: boolean
  body?: unknown
  /** The exact bytes, kept by `keepRawBody` (or any `verify` hook that stores them here). */
  rawBody?: unknown
  originalUrl: string
  baseUrl: string
  url: string
  protocol: string
  app: { get(setting: 'trust proxy fn'): (address: string | undefined, hop: number) => boolean }
}

/** The middleware `routes()` returns. */
export interface RoutewareMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void
  /** Resolves once the route tree is loaded; rejects with the load error, naming the file. */
  ready(): Promise<void>
  /** Stops file watching (dev mode); waits for requests in flight and `after()` tasks, at most `shutdownTimeout`. */
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
  const { logger } = options
  const middleware = ((req: ExpressRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    const host = toHostRequest(req, res, {
      url: routedUrl(req),
      prefix: req.baseUrl,
      protocol: req.protocol,
      host: hostOf(req),
      parsed: () => parsedBody(req),
    })
    sendOutcome(res, router.handle(host), logger, { miss: () => next(), fail: next })
  }) as RoutewareMiddleware
  // Through the `logger` option, once loaded: the table in dev, one line with the count otherwise.
  // The mount path is Express's secret until a request comes, so the line names none.
  router.ready().then(() => logServedRoutes(logger, router.routes(), options), () => {})
  middleware.ready = () => router.ready()
  middleware.close = () => router.close()
  return middleware
}

export { routes }

/**
 * A body-parser `verify` hook that keeps the exact bytes, for handlers that read
 * `request.text()` / `arrayBuffer()` / `body` (webhook signatures) after `express.json()`:
 * `app.use(express.json({ verify: keepRawBody }))`.
 */
export function keepRawBody(req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  ;(req as ExpressRequest).rawBody = buf
}

/**
 * The URL to route, prefix included. Normally `originalUrl`, the raw target, so the path rule sees
 * exactly what the client sent. When an earlier middleware rewrote `req.url`, the rewrite is
 * followed, as Express's own routers and serve-static follow it: `baseUrl` + the new `req.url`.
 * Express sets `req.url` below a mount to the rest of `originalUrl`, with a `/` added in front when
 * the rest does not start with one (Express 4 `lib/router/index.js` and router 2 `index.js`, `trim_prefix`).
 */
function routedUrl(req: ExpressRequest): string {
  const { originalUrl, baseUrl, url } = req
  if (url === originalUrl) return originalUrl
  // Express 4 also drops the extra slashes after a mount (`/api//x` -> `/x`), Express 5 keeps them.
  return oneLeadingSlash(url) === oneLeadingSlash(originalUrl.slice(baseUrl.length)) ? originalUrl : baseUrl + url
}

function oneLeadingSlash(path: string): string {
  let i = 0
  while (path.charCodeAt(i) === 47) i++
  return i === 1 ? path : `/${path.slice(i)}`
}

/** How an Express app keeps the exact bytes behind a body parser. */
const KEEP_RAW_BODY = 'express.json({ verify: keepRawBody }) with keepRawBody from @routeware/express (express.raw() and express.text() keep them too).'

/** What a host body parser left, if one read the stream before Routeware: the stream is empty then, so the bytes must come from what it kept. */
function parsedBody(req: ExpressRequest): ParsedBody | undefined {
  if (!req._body && !req.readableEnded && req.rawBody === undefined) return undefined
  const contentType = req.headers['content-type'] ?? ''
  const raw = req.rawBody instanceof Uint8Array ? req.rawBody : typeof req.rawBody === 'string' ? Buffer.from(req.rawBody) : undefined
  // body-parser 1 (Express 4) sets `_body`; body-parser 2 (Express 5) only leaves `req.body`.
  const byParser = req._body === true || req.body !== undefined
  return { value: req.body, raw, contentType, parser: byParser ? parserName(contentType) : 'an earlier middleware', fix: KEEP_RAW_BODY }
}

function parserName(contentType: string): string {
  if (/json/i.test(contentType)) return 'express.json() (body-parser)'
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return 'express.urlencoded() (body-parser)'
  if (/^text\//i.test(contentType)) return 'express.text() (body-parser)'
  return 'a body parser (body-parser)'
}

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
