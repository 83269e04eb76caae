/**
 * OpenTelemetry spans with Next's names and attributes, when the app has `@opentelemetry/api`
 * (an optional peer dependency): the request span `GET /users/[id]`
 * (packages/next/src/server/base-server.ts, `BaseServerSpan.handleRequest`) and the handler span
 * `executing api route (app) /users/[id]` (packages/next/src/server/route-modules/app-route/module.ts,
 * `AppRouteRouteHandlersSpan.runHandler`); span kinds and attribute keys from
 * packages/next/src/server/lib/trace/tracer.ts and constants.ts.
 *
 * The package is imported once, when the first router loads, never at module load (`tracingOn`
 * says what a request pays without it, or without an SDK).
 */
import type { Attributes, Span, TextMapGetter, Tracer } from '@opentelemetry/api'
import { HostError, isStreamBody, type HostRequest, type Outgoing, type StreamBody } from '../seam.js'
import { readNavigation } from '../web/navigation.js'

type OtelApi = typeof import('@opentelemetry/api')

/** The API once imported; `undefined` while unknown or absent. */
let api: OtelApi | undefined
let loading: Promise<void> | undefined

/** Where every copy of `@opentelemetry/api` 1.x keeps the registered provider, context manager and propagator. */
const kApiGlobal = Symbol.for('opentelemetry.js.api.1')

/** The instrumentation scope of every span: Routeware's own (Next names its tracer `next.js`). */
const TRACER_NAME = '@routeware/core'

/**
 * Import `@opentelemetry/api` once per process if it is installed. Never rejects: absent, tracing
 * stays off. `importApi` is for tests.
 */
export function loadTracing(importApi: () => Promise<unknown> = () => import('@opentelemetry/api')): Promise<void> {
  return (loading ??= importApi().then(
    (module) => {
      // The CommonJS build imported from ESM: the namespace's `default` is `module.exports`.
      const candidate = ((module as { default?: unknown }).default ?? module) as Partial<OtelApi>
      if (typeof candidate.trace?.getTracer === 'function' && typeof candidate.context?.active === 'function') api = candidate as OtelApi
    },
    () => {},
  ))
}

/**
 * True when spans may be recorded: `@opentelemetry/api` is loaded and a tracer provider or a
 * context manager is registered with it (read where the API keeps them,
 * @opentelemetry/api src/internal/global-utils.ts). Without the package a request pays one read
 * of a variable; with the API alone (no SDK), a few property reads.
 */
export function tracingOn(): boolean {
  if (api === undefined) return false
  const registered = (globalThis as { [kApiGlobal]?: { trace?: unknown; context?: unknown } })[kApiGlobal]
  return registered !== undefined && (registered.trace !== undefined || registered.context !== undefined)
}

/**
 * The API when spans would be recorded, as Next's `isOpenTelemetryEnabled`: a recording span is
 * active, or a tracer provider other than the API's no-op one is registered.
 */
function enabledApi(): OtelApi | undefined {
  if (api === undefined || !tracingOn()) return undefined
  if (api.trace.getSpan(api.context.active())?.isRecording()) return api
  const provider = api.trace.getTracerProvider() as { getDelegate?: () => object | undefined }
  if (typeof provider.getDelegate !== 'function') return api
  return provider.getDelegate()?.constructor?.name === 'NoopTracerProvider' ? undefined : api
}

/** The propagator reads the request's headers one by one: on Node, straight from `req.headers`. */
const headerGetter: TextMapGetter<HostRequest> = {
  keys: (host) => [...host.headers().keys()],
  get: (host, key) => (host.header ? host.header(key) : (host.headers().get(key) ?? undefined)),
}

let tracerOf: { provider: object; tracer: Tracer } | undefined

/** Routeware's tracer from the registered provider, asked for once per provider. */
function routewareTracer(otel: OtelApi): Tracer {
  const provider = otel.trace.getTracerProvider()
  if (tracerOf?.provider !== provider) tracerOf = { provider, tracer: provider.getTracer(TRACER_NAME) }
  return tracerOf.tracer
}

type Answer = Outgoing | HostError

/**
 * Run `dispatch` for a matched route inside Next's request span, named `GET /users/[id]`. The
 * span's parent is the host's active span (Fastify's or Express's instrumentation, an APM agent),
 * which gets `http.route`; without one, the W3C context the request headers carry, through the
 * global propagator. The span ends with the response body; a 5xx marks it an error, as Next does.
 */
export function traceRequest(host: HostRequest, route: string, dispatch: () => Answer | Promise<Answer>): Answer | Promise<Answer> {
  const otel = enabledApi()
  if (otel === undefined) return dispatch()
  const { context, propagation, trace, SpanKind } = otel
  let parent = context.active()
  const hostSpan = trace.getSpan(parent)
  // Next's `withPropagatedContext`: a span already active is the parent; too late to propagate.
  if (!trace.getSpanContext(parent)) parent = propagation.extract(parent, host, headerGetter)
  const method = host.method
  const name = `${method} ${route}`
  const attributes: Attributes = {
    'next.span_category': 'nextjs',
    'next.span_name': name,
    'next.span_type': 'BaseServer.handleRequest',
    'http.method': method,
    'http.target': host.url,
    'next.route': route,
    'http.route': route,
  }
  const span = routewareTracer(otel).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent)
  // Next propagates `http.route` to the span it runs under, so APM tools name the host's span too.
  if (hostSpan !== undefined) hostSpan.setAttribute('http.route', route)
  let answer: Answer | Promise<Answer>
  try {
    answer = context.with(trace.setSpan(parent, span), dispatch)
  } catch (error) {
    endWithError(otel, span, error)
    throw error
  }
  if (answer instanceof Promise) {
    return answer.then(
      (settled) => finish(otel, span, settled),
      (error: unknown) => {
        endWithError(otel, span, error)
        throw error
      },
    )
  }
  return finish(otel, span, answer)
}

/** Status on the span; it ends now, or with the body when the body is a stream. */
function finish(otel: OtelApi, span: Span, answer: Answer): Answer {
  if (answer instanceof HostError) {
    // Handed to the host (`onError: 'next'`, a failed load): the host picks the status.
    endWithError(otel, span, answer.error)
    return answer
  }
  span.setAttributes({ 'http.status_code': answer.status, 'next.rsc': false })
  if (answer.status >= 500) {
    // https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status, as Next.
    span.setStatus({ code: otel.SpanStatusCode.ERROR })
    span.setAttribute('error.type', String(answer.status))
  }
  if (!isStreamBody(answer.body)) {
    span.end()
    return answer
  }
  return { ...answer, body: endsWith(answer.body, (error) => (error === undefined ? span.end() : endWithError(otel, span, error))) }
}

/** `body`, calling `end` once when it finishes, fails or is cancelled. */
function endsWith(body: StreamBody, end: (error?: unknown) => void): StreamBody {
  let open = true
  const close = (error?: unknown) => {
    if (!open) return
    open = false
    end(error)
  }
  return {
    next: () =>
      body.next().then(
        (chunk) => {
          if (chunk === undefined) close()
          return chunk
        },
        (error: unknown) => {
          close(error)
          throw error
        },
      ),
    cancel(reason) {
      close()
      body.cancel(reason)
    },
  }
}

/** Next's `closeSpanWithError`: the exception, `error.type`, an error status. */
function endWithError(otel: OtelApi, span: Span, error: unknown): void {
  recordError(otel, span, error)
  span.end()
}

function recordError(otel: OtelApi, span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error))
  span.recordException(err)
  span.setAttribute('error.type', err.name)
  span.setStatus({ code: otel.SpanStatusCode.ERROR, message: err.message })
}

/**
 * Run the handler inside Next's `executing api route (app) /users/[id]` span. `redirect()`,
 * `notFound()` and the like end it normally (Next turns them into responses inside the span); any
 * other throw is recorded on it.
 */
export function traceHandler(route: string, run: () => unknown): unknown {
  const otel = enabledApi()
  if (otel === undefined) return run()
  const name = `executing api route (app) ${route}`
  const attributes: Attributes = {
    'next.span_category': 'nextjs',
    'next.span_name': name,
    'next.span_type': 'AppRouteRouteHandlers.runHandler',
    'next.route': route,
  }
  return routewareTracer(otel).startActiveSpan(name, { attributes }, (span) => {
    const failed = (error: unknown) => {
      if (readNavigation(error)) span.end()
      else endWithError(otel, span, error)
    }
    let result: unknown
    try {
      result = run()
    } catch (error) {
      failed(error)
      throw error
    }
    if (!isThenable(result)) {
      span.end()
      return result
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end()
        return value
      },
      (error: unknown) => {
        failed(error)
        throw error
      },
    )
  })
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
}

/** For tests: forget the imported API, so `loadTracing` imports again. */
export function resetTracing(): void {
  api = undefined
  loading = undefined
  tracerOf = undefined
}
