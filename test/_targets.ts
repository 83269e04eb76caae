/**
 * The targets every conformance scenario runs against: Express 5, Express 4, Fastify 5 and
 * `createHandler` behind node:http. Each starts a real server on a loopback port, and each knows
 * how its framework surfaces a start-up failure (`start` rejects with it, `startUnawaited`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express5 from 'express'
import express4 from 'express4'
import Fastify from 'fastify'
import routesExpress, { keepRawBody } from '@routeware/express'
import fastifyCookie from '@fastify/cookie'
import routesFastify from '@routeware/fastify'
import { createHandler, type RoutesOptions } from '@routeware/core'

/** How a scenario wants the host app set up. Nothing here names a framework. */
export interface HostSetup {
  /** Routeware's options (`dir` is required). */
  options: RoutesOptions
  /** Mount prefix (Express mount path, Fastify `prefix`). */
  prefix?: string
  /** Headers a host middleware/hook sets on every response before Routeware runs (cors(), helmet...). */
  hostHeaders?: Array<[string, string]>
  /** Trust X-Forwarded-* (Express `trust proxy`, Fastify `trustProxy`). */
  trustProxy?: boolean
  /**
   * A body parser the host installs before Routeware: Express mounts `express.json()` (and the
   * rest) ahead of the middleware; Fastify registers it for the host's own routes (Routeware's
   * scope keeps its pass-through parser); createHandler has no host.
   */
  hostParser?: 'json' | 'json-keep-raw' | 'raw' | 'text' | 'urlencoded'
  /** A cookie the host sets on every response (Express `res.cookie`, `@fastify/cookie`'s `reply.setCookie`). */
  hostCookie?: [string, string]
  /**
   * A host auth guard on this prefix (`'/admin'`), mounted before Routeware, answering 401 with
   * `guarded` unless the request carries `authorization: let-me-in` (`GUARD_TOKEN`). Written the way a typical
   * user would, on the path the framework reports: Express `app.use(prefix, guard)`, Fastify an
   * `onRequest` hook testing `request.url`. createHandler has no host.
   */
  guardPrefix?: string
  /** The host's 404 copies this request header into its `x-host-saw` response header (what the host sees after Routeware). */
  hostSeesHeader?: string
  /**
   * Node's lenient HTTP parser (`http.createServer({ insecureHTTPParser: true })`, Fastify's
   * `http` option): header bytes the Fetch API refuses (NUL, control characters) reach the app.
   */
  insecureHTTPParser?: boolean
  /**
   * A host middleware (Express `app.use`, a Fastify `onRequest` hook) mounted first, that runs the
   * rest of the request inside `next`, as an OpenTelemetry instrumentation does to make its span
   * active. createHandler has no host.
   */
  aroundRequest?: (next: () => void) => void
}

export interface RunningTarget {
  /** `http://127.0.0.1:port` */
  origin: string
  server: Server
  /** Lines logged through the host's logger during the run. */
  logs: string[]
  close(): Promise<void>
}

/** A target started by `Target.startUnawaited`: nothing awaited its readiness yet. */
export interface UnawaitedStart {
  /** The target's own way to learn the outcome later (Express's `ready()`, Fastify's `ready()`). */
  ready(): Promise<void>
  close(): Promise<void>
}

export interface Target {
  name: string
  /** True where a host body parser reads the stream before Routeware (Express): the exact bytes survive only if kept. */
  hostParsersConsume: boolean
  /** Features this target lacks, by id; scenarios that need one are skipped with the reason from `_skips.ts`. */
  lacks: ReadonlySet<string>
  /**
   * Start a server. A start-up failure (invalid options, a refused tree, a route file that fails
   * to load) rejects with the error exactly as this target surfaces it: Express's `routes()`
   * throwing or its `ready()` rejecting, Fastify's `register` rejecting, `createHandler`'s promise
   * rejecting. Whatever was created is closed first.
   */
  start(setup: HostSetup): Promise<RunningTarget>
  /**
   * Start as a user who never awaits Routeware's readiness (feature `unawaited-start`): Express
   * mounts the middleware and drops `ready()`, Fastify leaves `register` un-awaited.
   */
  startUnawaited?(setup: HostSetup): UnawaitedStart
}

/** The host's own routes, to prove fall-through: `GET /host-route` and a 404 saying `host 404`. */
export const HOST_ROUTE = '/host-route'
export const HOST_404 = 'host 404'
/** The `authorization` value the host guard of `HostSetup.guardPrefix` lets through. */
export const GUARD_TOKEN = 'let-me-in'

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.()
    server.close(() => resolve())
  })

function captureLogger(logs: string[]) {
  const line = (level: string) => (...args: unknown[]) =>
    logs.push(`${level}: ${args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ')}`)
  return { error: line('error'), warn: line('warn'), info: line('info') }
}

/** Close what a failed start created, then fail with the start-up error itself. */
async function closeOnFailure(starting: PromiseLike<unknown>, close: () => Promise<unknown>): Promise<void> {
  try {
    await starting
  } catch (error) {
    await close().catch(() => {})
    throw error
  }
}

function expressTarget(name: string, express: typeof express5): Target {
  return {
    name,
    hostParsersConsume: true,
    lacks: new Set(),
    startUnawaited(setup) {
      const middleware = routesExpress({ logger: captureLogger([]), ...setup.options })
      express().use(middleware)
      void middleware.ready()
      return { ready: () => middleware.ready(), close: () => middleware.close() }
    },
    async start(setup) {
      const logs: string[] = []
      const app = express()
      if (setup.aroundRequest) {
        const around = setup.aroundRequest
        app.use((_req, _res, next) => around(() => next()))
      }
      const parsers = {
        json: () => express.json(),
        'json-keep-raw': () => express.json({ verify: keepRawBody }),
        raw: () => express.raw({ type: '*/*' }),
        text: () => express.text({ type: '*/*' }),
        urlencoded: () => express.urlencoded({ extended: false }),
      }
      if (setup.hostParser) app.use(parsers[setup.hostParser]())
      if (setup.hostCookie) {
        const [cookieName, cookieValue] = setup.hostCookie
        app.use((_req, res, next) => {
          res.cookie(cookieName, cookieValue)
          next()
        })
      }
      if (setup.trustProxy) app.set('trust proxy', true)
      app.disable('x-powered-by')
      if (setup.hostHeaders) {
        const headers = setup.hostHeaders
        app.use((_req, res, next) => {
          for (const [k, v] of headers) res.append(k, v)
          next()
        })
      }
      app.get(HOST_ROUTE, (_req, res) => {
        res.send('host route')
      })
      if (setup.guardPrefix) {
        app.use(setup.guardPrefix, (req, res, next) => {
          if (req.headers.authorization === GUARD_TOKEN) return next()
          res.status(401).send('guarded')
        })
      }
      const middleware = routesExpress({ logger: captureLogger(logs), ...setup.options })
      if (setup.prefix) app.use(setup.prefix, middleware)
      else app.use(middleware)
      // A load failure: ready() rejects with it (requests would reach next(err): adapter-express.test.ts).
      await closeOnFailure(middleware.ready(), () => middleware.close())
      app.use((req, res) => {
        if (setup.hostSeesHeader) res.setHeader('x-host-saw', String(req.headers[setup.hostSeesHeader] ?? 'none'))
        res.status(404).send(HOST_404)
      })
      app.use((err: Error, _req: unknown, res: ServerResponse & { status(n: number): { send(s: string): void } }, _next: unknown) => {
        logs.push(`host error handler: ${err.message}`)
        res.status(500).send(`host error: ${err.message}`)
      })
      const server = createServer(setup.insecureHTTPParser ? { insecureHTTPParser: true } : {}, app)
      const origin = await listen(server)
      return { origin, server, logs, close: async () => {
        await middleware.close()
        await closeServer(server)
      } }
    },
  }
}

/** The plugin's options from a setup: Fastify's own logger, `onError` only as a function, `prefix`. */
function toFastifyOptions(setup: HostSetup) {
  const { logger: _ignored, onError, ...options } = setup.options
  return { ...options, ...(typeof onError === 'function' ? { onError } : {}), ...(setup.prefix ? { prefix: setup.prefix } : {}) }
}

const fastifyTarget: Target = {
  name: 'fastify',
  hostParsersConsume: false,
  lacks: new Set(),
  startUnawaited(setup) {
    const app = Fastify()
    app.register(routesFastify, toFastifyOptions(setup))
    return { ready: async () => void (await app.ready()), close: () => app.close() }
  },
  async start(setup) {
    const logs: string[] = []
    // pino writes JSON lines; keep the readable parts (message, error message and stack).
    const stream = {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; stack?: string } }
        logs.push([entry.msg, entry.err?.message, entry.err?.stack].filter(Boolean).join('\n'))
      },
    }
    const app = Fastify({ logger: { level: 'info', stream }, trustProxy: setup.trustProxy ?? false, ...(setup.insecureHTTPParser ? { http: { insecureHTTPParser: true } } : {}) })
    if (setup.aroundRequest) {
      const around = setup.aroundRequest
      app.addHook('onRequest', (_request, _reply, done) => around(() => done()))
    }
    if (setup.hostHeaders) {
      const headers = setup.hostHeaders
      app.addHook('onRequest', async (_request, reply) => {
        for (const [k, v] of headers) reply.header(k, v)
      })
    }
    if (setup.hostCookie) {
      const [cookieName, cookieValue] = setup.hostCookie
      await app.register(fastifyCookie)
      app.addHook('onRequest', async (_request, reply) => {
        reply.setCookie(cookieName, cookieValue)
      })
    }
    if (setup.hostParser === 'raw') app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
    if (setup.hostParser === 'urlencoded') {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))))
    }
    if (setup.guardPrefix) {
      const guard = setup.guardPrefix
      app.addHook('onRequest', async (request, reply) => {
        const path = request.url.split('?')[0]!
        if ((path === guard || path.startsWith(`${guard}/`)) && request.headers.authorization !== GUARD_TOKEN) {
          return reply.code(401).send('guarded')
        }
      })
    }
    app.get(HOST_ROUTE, async () => 'host route')
    app.setNotFoundHandler((request, reply) => {
      if (setup.hostSeesHeader) reply.header('x-host-saw', String(request.headers[setup.hostSeesHeader] ?? 'none'))
      reply.code(404).send(HOST_404)
    })
    // A load failure: register rejects with it.
    await closeOnFailure(app.register(routesFastify, toFastifyOptions(setup)), () => app.close())
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address() as AddressInfo
    return { origin: `http://127.0.0.1:${address.port}`, server: app.server, logs, close: () => app.close() }
  },
}

/** The fetch-style target: a minimal node:http bridge, as a Bun/Deno/Hono user would write. */
const handlerTarget: Target = {
  name: 'createHandler',
  hostParsersConsume: false,
  // A fetch Request's URL is parsed by the WHATWG URL parser, which already resolves dot
  // segments and backslashes; there is no host app, no prefix, no host headers.
  lacks: new Set(['raw-path', 'host-app', 'prefix', 'host-headers', 'node-writer', 'host-guard', 'unawaited-start']),
  async start(setup) {
    const logs: string[] = []
    // A load failure: the promise rejects with it.
    const handle = await createHandler({ logger: captureLogger(logs), ...setup.options })
    const server = createServer(setup.insecureHTTPParser ? { insecureHTTPParser: true } : {}, (req: IncomingMessage, res: ServerResponse) => {
      const controller = new AbortController()
      res.on('close', () => {
        if (!res.writableFinished) controller.abort()
      })
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      let request: Request
      try {
        request = new Request(`http://${req.headers.host}${req.url}`, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: hasBody ? (req as unknown as ReadableStream) : null,
          signal: controller.signal,
          duplex: 'half',
        } as RequestInit)
      } catch {
        res.statusCode = 400
        res.end()
        return
      }
      if (hasBody) {
        // undici accepts async iterables as bodies.
      }
      handle(request).then(async (response) => {
        res.statusCode = response.status
        for (const [k, v] of response.headers) res.appendHeader(k, v)
        if (!response.body) return res.end()
        res.flushHeaders()
        const reader = response.body.getReader()
        res.on('close', () => reader.cancel().catch(() => {}))
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          res.write(value)
        }
        res.end()
      }).catch((error: unknown) => {
        logs.push(`bridge error: ${String(error)}`)
        res.destroy()
      })
    })
    const origin = await listen(server)
    return { origin, server, logs, close: async () => {
      await handle.close()
      await closeServer(server)
    } }
  },
}

/** `createHandler` as a node:http listener, `http.createServer(handle)`: the raw Node request, no host app. */
const listenerTarget: Target = {
  name: 'node-listener',
  hostParsersConsume: false,
  lacks: new Set(['host-app', 'prefix', 'host-headers', 'host-guard', 'unawaited-start']),
  async start(setup) {
    const logs: string[] = []
    const handle = await createHandler({ logger: captureLogger(logs), ...setup.options })
    const server = createServer(setup.insecureHTTPParser ? { insecureHTTPParser: true } : {}, handle)
    const origin = await listen(server)
    return { origin, server, logs, close: async () => {
      await handle.close()
      await closeServer(server)
    } }
  },
}

export const targets: Target[] = [expressTarget('express5', express5), expressTarget('express4', express4 as unknown as typeof express5), fastifyTarget, handlerTarget, listenerTarget]
