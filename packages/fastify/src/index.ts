/** `@routeware/fastify`: every route file becomes a native Fastify route, answered by the core. */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Readable } from 'node:stream'
import {
  canonicalize,
  createMountPrefix,
  createRouter,
  HostError,
  isStreamBody,
  mergeHeaders,
  MISS,
  resolveOptions,
  RoutewareError,
  toHostRequest,
  toPinoLogger,
  toReadable,
  type HeaderTarget,
  type MountPrefix,
  type Outcome,
  type Outgoing,
  type Router,
  type StreamBody,
  type RoutesOptions,
} from '@routeware/core/adapter'
import { toFastifyPaths } from './to-fastify-path.js'

/** Plugin options: the core options (no `logger`: Fastify's own is used) plus Fastify's `prefix`. */
export interface FastifyRoutesOptions extends Omit<RoutesOptions, 'logger' | 'onError'> {
  prefix?: string
  onError?: Exclude<RoutesOptions['onError'], 'next'>
}

const kPayload = Symbol('routeware.payload')
type WithPayload = FastifyRequest & { [kPayload]?: Readable }

async function routeware(fastify: FastifyInstance, opts: FastifyRoutesOptions): Promise<void> {
  const { prefix: _prefix, ...rest } = opts
  const options = resolveOptions({ ...rest, logger: toPinoLogger(fastify.log) })
  const router = createRouter(options)
  await router.ready()
  fastify.addHook('onClose', async () => router.close())
  // The child's prefix may hold parameters (`/t/:tenant`): each request resolves its own (`/t/acme`).
  let prefixOf: MountPrefix = () => ''

  // Routes live in their own encapsulated child: its pass-through body parser and its prefix
  // stay inside, the host's parsers keep working for the host's own routes.
  await fastify.register(
    async (child) => {
      prefixOf = createMountPrefix(child.prefix)
      child.removeAllContentTypeParsers()
      child.addContentTypeParser('*', (request, payload, done) => {
        // Leave the body unread: the handler streams it (exact bytes, bodyLimit enforced by core).
        ;(request as WithPayload)[kPayload] = payload as Readable
        done(null, undefined)
      })
      // A promise while a handler runs; nothing (the reply is already sent) on the synchronous paths.
      const handler = (request: FastifyRequest, reply: FastifyReply) => {
        const served = serve(router, prefixOf(request.raw.url ?? '/'), request, reply, false)
        return served instanceof Promise ? served : undefined
      }
      // `/a` and `/a/` are different Fastify routes: register both, and core answers the one that
      // is not canonical with its 308 (unless the host already ignores trailing slashes).
      const config = fastify.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } }
      const slashVariants = !(config.routerOptions?.ignoreTrailingSlash ?? config.ignoreTrailingSlash)
      if (options.dev) {
        // Fastify cannot add routes after start: in dev one wildcard per prefix serves the live tree,
        // and paths that are not (or no longer) routes go to the host's not-found handler.
        for (const url of ['/', '/*']) {
          if (child.hasRoute({ method: 'GET', url })) continue // the host serves it: its own route wins
          child.route({ method: fastify.supportedMethods, url, exposeHeadRoute: false, handler })
        }
        return
      }
      for (const route of router.routes()) {
        const urls = toFastifyPaths(route.definition)
        if (slashVariants) for (const url of [...urls]) if (url !== '/' && !url.endsWith('*')) urls.push(`${url}/`)
        for (const url of urls) {
          try {
            child.route({ method: fastify.supportedMethods, url, exposeHeadRoute: false, handler })
          } catch (error) {
            throw new RoutewareError(
              'ROUTEWARE_ROUTE_COLLISION',
              `The route file ${route.definition.file} (${child.prefix}${route.definition.path}) collides with a Fastify route already registered at ${child.prefix}${url}: ${(error as Error).message}\n  Remove one of them, or mount Routeware under another prefix.`,
              { files: [route.definition.file], cause: error },
            )
          }
        }
      }
    },
    { prefix: opts.prefix ?? '' },
  )

  // Non-canonical paths (`//x`, `/a/./b`, `%61`, a trailing slash) may miss every native route;
  // this hook, in the host's scope, answers them with the 308 (or 400) the README's Paths section promises.
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = pathOf(request.raw.url ?? '/')
    const canonical = canonicalize(path, options.trailingSlash)
    if (!canonical.changed && !canonical.malformed) return done()
    // The prefix of the path the router reads: the canonical one it redirects to, or the raw one it refuses.
    const prefix = prefixOf(canonical.malformed ? path : canonical.path)
    if (prefix === undefined) return done()
    try {
      const served = serve(router, prefix, request, reply, true)
      if (served instanceof Promise) served.then(() => (reply.sent ? undefined : done()), done)
      else if (!reply.sent) done()
    } catch (error) {
      done(error as Error)
    }
  })
}

function pathOf(url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

function serve(router: Router, prefix: string | undefined, request: FastifyRequest, reply: FastifyReply, fromHook: boolean): Promise<FastifyReply | void> | FastifyReply | void {
  if (prefix === undefined) return answer(reply, undefined, fromHook)
  const host = toHostRequest(request.raw, reply.raw, {
    url: request.raw.url ?? '/',
    prefix,
    protocol: request.protocol,
    host: request.host,
    logger: toPinoLogger(request.log),
    payload: (request as WithPayload)[kPayload],
  })
  const outcome = router.handle(host)
  if (outcome instanceof Promise) {
    return outcome.then(
      (settled) => answer(reply, settled, fromHook),
      (error: unknown) => answer(reply, new HostError(error), fromHook),
    )
  }
  return answer(reply, outcome, fromHook)
}

/** The router's outcome on Fastify: `MISS` is the host's not-found handler, a `HostError` an empty 500. */
function answer(reply: FastifyReply, outcome: Outcome | undefined, fromHook: boolean): FastifyReply | Promise<FastifyReply> | void {
  if (outcome === undefined || outcome === MISS) return fromHook ? undefined : reply.callNotFound()
  if (outcome instanceof HostError) return sendFailure(reply, { status: 500, statusText: '', headers: [], body: null }, outcome.error, 'Routeware could not answer the request; answered 500 instead')
  return sendReply(reply, outcome)
}

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
    // A string would get `; charset=utf-8` appended to a JSON content-type by reply.send.
    if (typeof body === 'string') return reply.send(Buffer.from(body))
    if (!isStreamBody(body)) return reply.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
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
