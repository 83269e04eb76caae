/** `@routeware/fastify`: every route file becomes a native Fastify route, answered by the core. */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import fp from 'fastify-plugin'
import { isUtf8 } from 'node:buffer'
import type { Readable } from 'node:stream'
import {
  createMountPrefix,
  createRouter,
  HostError,
  isStreamBody,
  logServedRoutes,
  mergeHeaders,
  MISS,
  ONE_WRITE_MAX_BYTES,
  resolveOptions,
  routewareError,
  RoutewareError,
  toHostRequest,
  toPinoLogger,
  toReadable,
  type HeaderTarget,
  type LoadedRoute,
  type Logger,
  type MountPrefix,
  type NodeHostInit,
  type Outcome,
  type Outgoing,
  type Router,
  type RoutesOptions,
  type StreamBody,
} from '@routeware/core/adapter'
import { createRouteOwners } from './route-owners.js'
import { toFastifyPaths } from './to-fastify-path.js'

/** Plugin options: the core options (no `logger`: Fastify's own is used) plus Fastify's `prefix`. */
export interface FastifyRoutesOptions extends Omit<RoutesOptions, 'logger' | 'onError'> {
  prefix?: string
  onError?: Exclude<RoutesOptions['onError'], 'next'>
}

const kPayload = Symbol('routeware.payload')
type WithPayload = FastifyRequest & { [kPayload]?: Readable }

/** The methods core answers with more than 405/400: the exported ones, HEAD for GET, OPTIONS always. */
function servedMethods(route: LoadedRoute): string[] {
  const methods = Object.keys(route.exports.handlers)
  if (route.exports.handlers.GET && !methods.includes('HEAD')) methods.push('HEAD')
  if (!methods.includes('OPTIONS')) methods.push('OPTIONS')
  return methods
}

async function routeware(fastify: FastifyInstance, opts: FastifyRoutesOptions): Promise<void> {
  const { prefix: _prefix, ...rest } = opts
  const options = resolveOptions({ ...rest, logger: toPinoLogger(fastify.log) })
  const router = createRouter(options)
  await router.ready()
  fastify.addHook('onClose', async () => router.close())
  const owners = createRouteOwners(fastify)

  // Routes live in their own encapsulated child: its pass-through body parser and its prefix
  // stay inside, the host's parsers keep working for the host's own routes.
  await fastify.register(
    async (child) => {
      const prefix = child.prefix
      // The prefix may hold parameters (`/t/:tenant`): each request resolves its own (`/t/acme`).
      const prefixOf = createMountPrefix(prefix)
      child.removeAllContentTypeParsers()
      child.addContentTypeParser('*', (request, payload, done) => {
        // Leave the body unread: the handler streams it (exact bytes, bodyLimit enforced by core).
        ;(request as WithPayload)[kPayload] = payload as Readable
        done(null, undefined)
      })
      const routes = router.routes()
      // One method set for every route file, so that each of find-my-way's per-method trees holds
      // every route and picks the same route core would (Next matches the path first, then the
      // method). Other methods (405, TRACE's 400) go to the wildcard below.
      const supported = new Set(fastify.supportedMethods)
      const methods = [...new Set(routes.flatMap(servedMethods))].filter((m) => supported.has(m)) as HTTPMethods[]
      const config = fastify.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } }
      const slashTwins = options.trailingSlash && !(config.routerOptions?.ignoreTrailingSlash ?? config.ignoreTrailingSlash)
      for (const route of routes) {
        // One closure per route file carries the loaded route: core then skips its own trie walk.
        const handler = (request: FastifyRequest, reply: FastifyReply) => serve(router, prefixOf, request, reply, route)
        for (const url of toFastifyPaths(route.definition, { slashTwins })) {
          try {
            child.route({ method: methods, url, exposeHeadRoute: false, handler })
          } catch (error) {
            throw routewareError(
              'ROUTEWARE_ROUTE_COLLISION',
              { file: route.definition.file, path: `${prefix}${route.definition.path}`, url: `${prefix}${url}`, reason: (error as Error).message },
              { files: [route.definition.file], cause: error },
            )
          }
          const owner = { what: `the route file ${route.definition.file} (${prefix}${route.definition.path})`, file: route.definition.file, methods }
          owners.add(prefix + url, owner)
          if (url === '/' && prefix) owners.add(prefix, owner) // Fastify registers the prefix's root both ways
        }
      }
      // One wildcard per prefix answers what no native route does: non-canonical paths (308/400),
      // methods outside the set above (405 with Allow, 400), files added in dev; the rest goes to
      // the host's not-found handler. A `/*` the host (or a root catch-all) already has keeps its methods.
      // In dev it also takes the prefix itself (`/api`, which `/api/*` does not match) when no root
      // route file holds it, for a root file added later, and so it does with a proxy file, which
      // runs for every path under the prefix; `/*` already covers `/` without a prefix.
      const wildcard = (request: FastifyRequest, reply: FastifyReply) => serve(router, prefixOf, request, reply, undefined)
      for (const url of (options.dev || router.hasProxy()) && prefix ? ['/*', '/'] : ['/*']) {
        const full = url === '/' ? prefix : `${prefix}/*`
        const open = fastify.supportedMethods.filter((method) => !fastify.hasRoute({ method, url: full })) as HTTPMethods[]
        if (open.length === 0) continue
        child.route({ method: open, url, exposeHeadRoute: false, handler: wildcard })
        const owner = { what: `the wildcard route @routeware/fastify registers at ${full} (it answers non-canonical paths, 405s and, in dev, new route files under its prefix)`, methods: open }
        owners.add(full, owner)
        if (url === '/') owners.add(`${prefix}/`, owner)
      }
      // Through the host's logger: the table in dev, one line with the count otherwise.
      logServedRoutes(options.logger, routes, options, prefix)
    },
    { prefix: opts.prefix ?? '' },
  )

  // A route the host adds later at one of these URLs is refused naming the file (at registration only).
  fastify.addHook('onRoute', owners.onRoute)
}

/** What only Fastify knows, read when core asks (the URL's host and protocol only if the handler builds it). */
class FastifyHostInit implements NodeHostInit {
  readonly url: string
  constructor(
    private readonly request: FastifyRequest,
    readonly prefix: string,
  ) {
    this.url = request.raw.url ?? '/'
  }
  get protocol(): string {
    return this.request.protocol
  }
  get host(): string {
    return this.request.host
  }
  get logger(): Logger {
    return toPinoLogger(this.request.log)
  }
  get payload(): Readable | undefined {
    return (this.request as WithPayload)[kPayload]
  }
}

/**
 * Answers through `reply` and returns nothing, also while a handler runs: Fastify then adds no
 * promise reaction of its own, and the settled outcome is written one microtask after the
 * router's promise instead of three (a returned `reply` is a thenable Fastify would adopt).
 */
function serve(router: Router, prefixOf: MountPrefix, request: FastifyRequest, reply: FastifyReply, matched: LoadedRoute | undefined): void {
  const url = request.raw.url ?? '/'
  const prefix = prefixOf(url)
  if (prefix === undefined) {
    answer(reply, MISS)
    return
  }
  const outcome = router.handle(toHostRequest(request.raw, reply.raw, new FastifyHostInit(request, prefix)), matched)
  if (outcome instanceof Promise) {
    outcome.then(
      (settled) => settle(reply, settled),
      (error: unknown) => settle(reply, new HostError(error)),
    )
    return
  }
  answer(reply, outcome)
}

/** `answer` inside a promise reaction: a throw there would be an unhandled rejection, so it ends the reply instead. */
function settle(reply: FastifyReply, outcome: Outcome): void {
  try {
    void answer(reply, outcome)
  } catch (error) {
    sendFailure(reply, { status: 500, statusText: '', headers: [], body: null }, error, 'Routeware could not answer the request; answered 500 instead')
  }
}

/** The router's outcome on Fastify: `MISS` is the host's not-found handler, a `HostError` an empty 500. */
function answer(reply: FastifyReply, outcome: Outcome): FastifyReply | Promise<FastifyReply> | void {
  if (outcome === MISS) return reply.callNotFound()
  if (outcome instanceof HostError) return sendFailure(reply, { status: 500, statusText: '', headers: [], body: null }, outcome.error, 'Routeware could not answer the request; answered 500 instead')
  return sendReply(reply, outcome)
}

/** The reply serializer for a body that is already the text to send. */
const asIs = (payload: unknown): string => payload as string

/** Fastify's `reply` as a place for headers: `reply.header` replaces, and appends `set-cookie` itself. */
class ReplyHeaders implements HeaderTarget {
  constructor(private readonly reply: FastifyReply) {}
  getHeader(name: string): unknown {
    return this.reply.getHeader(name)
  }
  set(name: string, value: string): void {
    this.reply.header(name, value)
  }
  append(name: string, value: string): void {
    this.reply.header(name, value)
  }
}

/**
 * Write through `reply`, never `reply.raw`, so the host's onSend hooks and plugins see the
 * response. Never throws: a write that fails is an empty 500 (or a closed connection once the
 * headers are out), never Fastify's error handler with the error's message in the body.
 */
function sendReply(reply: FastifyReply, out: Outgoing): FastifyReply | Promise<FastifyReply> {
  const { body } = out
  try {
    reply.code(out.status)
    if (out.statusText) reply.raw.statusMessage = out.statusText
    mergeHeaders(new ReplyHeaders(reply), out.headers)
    if (body === null) return reply.send()
    // A string leaves in one write with the headers (Node joins them; a Buffer would be a second
    // chunk, a writev). Through a serializer that returns it as it is, reply.send does not append
    // `; charset=utf-8` to a JSON content-type, as it does for a string otherwise.
    if (typeof body === 'string') return reply.serializer(asIs).send(body)
    if (!isStreamBody(body)) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
      // Small UTF-8 bytes under a content-type go as the string they spell, for the one write
      // above (a string without a content-type would get Fastify's text/plain instead of octet-stream).
      if (bytes.byteLength <= ONE_WRITE_MAX_BYTES && bytes.byteLength > 0 && reply.hasHeader('content-type') && isUtf8(bytes)) return reply.serializer(asIs).send(bytes.toString('utf8'))
      return reply.send(bytes)
    }
  } catch (error) {
    if (isStreamBody(body)) body.cancel(error)
    return sendFailure(reply, out, error, 'Routeware could not write the response; answered 500 instead')
  }
  return sendStream(reply, out, body)
}

/**
 * Fastify writes a stream's headers with its first chunk, and answers a stream that fails before
 * that chunk through its error handler, the error's message in the body. So the first chunk is
 * read here: a failure before it is an empty 500, as any handler error; an empty stream is an
 * empty body with its length.
 */
function sendStream(reply: FastifyReply, out: Outgoing, body: StreamBody): Promise<FastifyReply> {
  const raw = reply.raw
  let gone = false
  const onClose = () => {
    gone = true
    body.cancel(new DOMException('The client closed the connection.', 'AbortError'))
  }
  raw.once('close', onClose)
  return body.next().then(
    (first) => {
      raw.off('close', onClose)
      if (gone) return reply
      try {
        return reply.send(first === undefined ? Buffer.alloc(0) : toReadable(body, first))
      } catch (error) {
        body.cancel(error)
        return sendFailure(reply, out, error, 'Routeware could not write the response; answered 500 instead')
      }
    },
    (error: unknown) => {
      raw.off('close', onClose)
      if (gone) return reply
      return sendFailure(reply, out, error, 'A response stream failed before its first chunk; answered 500 instead')
    },
  )
}

/** An empty 500 without the headers that were being written, or a closed connection once the headers are out. */
function sendFailure(reply: FastifyReply, out: Outgoing, error: unknown, message: string): FastifyReply {
  try {
    reply.log.error({ err: error }, message)
    if (!reply.sent && !reply.raw.headersSent) {
      for (const [name] of out.headers) reply.removeHeader(name)
      reply.raw.statusMessage = ''
      return reply.code(500).send()
    }
  } catch {
    // Nothing more can be said on this connection.
  }
  reply.raw.destroy()
  return reply
}

/** The plugin: `await app.register(routes, { dir: './app', prefix: '/api' })`. */
const routes: FastifyPluginAsync<FastifyRoutesOptions> = fp(routeware, { fastify: '5.x', name: '@routeware/fastify' })

export default routes
export { routes }
