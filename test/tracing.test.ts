/**
 * OpenTelemetry with the real SDK: Next 16.4.6's request span `GET /users/[id]`
 * (packages/next/src/server/base-server.ts) and handler span `executing api route (app) /users/[id]`
 * (packages/next/src/server/route-modules/app-route/module.ts), their attributes, the error status
 * on 5xx, context from `traceparent`, and `http.route` on the host's active span.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { afterAll, expect } from 'vitest'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

// Registered before any target starts: the global provider, AsyncLocalStorage context, W3C propagator.
const exporter = new InMemorySpanExporter()
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
provider.register()
afterAll(async () => {
  await provider.shutdown()
  trace.disable()
  context.disable()
  propagation.disable()
})

let unique = 0
/** A request target no other test uses, so its spans are told apart by `http.target`. */
const target = (path: string) => `${path}?k=${++unique}`

/** The request span of `httpTarget` and every span of its trace, once the request span ended. */
async function traceOf(httpTarget: string): Promise<{ root: ReadableSpan; spans: ReadableSpan[] }> {
  for (let i = 0; i < 50; i++) {
    const root = exporter.getFinishedSpans().find((s) => s.attributes['http.target'] === httpTarget)
    if (root) return { root, spans: exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === root.spanContext().traceId) }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`no request span for ${httpTarget}`)
}

const childOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)

const hostSpans: Span[] = []
const hostTracer = trace.getTracer('host-instrumentation')

function scenarios(t: TargetContext) {
  t.test("a GET: the request span GET /users/[id] with Next's attributes, the handler span under it, the app's own span under that", async () => {
    const path = target('/users/42')
    const res = await t.http().get(path)
    expect(res.body).toEqual({ id: '42' })
    const { root, spans } = await traceOf(path)
    expect(root.name).toBe('GET /users/[id]')
    expect(root.kind).toBe(SpanKind.SERVER)
    expect(root.attributes).toEqual({
      'next.span_category': 'nextjs',
      'next.span_name': 'GET /users/[id]',
      'next.span_type': 'BaseServer.handleRequest',
      'http.method': 'GET',
      'http.target': path,
      'next.route': '/users/[id]',
      'http.route': '/users/[id]',
      'http.status_code': 200,
      'next.rsc': false,
    })
    expect(root.status.code).toBe(SpanStatusCode.UNSET)
    const [handler, ...others] = childOf(spans, root)
    expect(others).toEqual([])
    expect(handler!.name).toBe('executing api route (app) /users/[id]')
    expect(handler!.kind).toBe(SpanKind.INTERNAL)
    expect(handler!.attributes).toEqual({
      'next.span_category': 'nextjs',
      'next.span_name': 'executing api route (app) /users/[id]',
      'next.span_type': 'AppRouteRouteHandlers.runHandler',
      'next.route': '/users/[id]',
    })
    expect(childOf(spans, handler!).map((s) => s.name)).toEqual(['load user'])
  })

  t.test('a handler that throws: the handler span records the exception, the request span is a 500 error', async () => {
    const path = target('/throws')
    expect((await t.http().get(path)).status).toBe(500)
    const { root, spans } = await traceOf(path)
    expect(root.name).toBe('GET /throws')
    expect(root.status.code).toBe(SpanStatusCode.ERROR)
    expect(root.attributes['http.status_code']).toBe(500)
    expect(root.attributes['error.type']).toBe('500')
    const [handler] = childOf(spans, root)
    expect(handler!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' })
    expect(handler!.attributes['error.type']).toBe('TypeError')
    expect(handler!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'boom']])
  })

  t.test('redirect() is an answer, not an error: both spans end without an error status', async () => {
    const path = target('/redirects')
    expect((await t.http().get(path).redirects(0)).status).toBe(307)
    const { root, spans } = await traceOf(path)
    expect(root.attributes['http.status_code']).toBe(307)
    expect(root.status.code).toBe(SpanStatusCode.UNSET)
    const [handler] = childOf(spans, root)
    expect(handler!.status.code).toBe(SpanStatusCode.UNSET)
    expect(handler!.events).toEqual([])
  })

  t.test('a W3C traceparent header is the parent of the request span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const parentId = '00f067aa0ba902b7'
    const path = target('/users/7')
    await t.http().get(path).set('traceparent', `00-${traceId}-${parentId}-01`)
    const { root } = await traceOf(path)
    expect(root.spanContext().traceId).toBe(traceId)
    expect(root.parentSpanContext?.spanId).toBe(parentId)
    expect(root.parentSpanContext?.isRemote).toBe(true)
  })

  t.test('a cached HIT: the request span, no handler span', async () => {
    await t.http().get('/cached')
    const path = target('/cached')
    const res = await t.http().get(path)
    expect(res.headers['x-routeware-cache']).toBe('HIT')
    const { root, spans } = await traceOf(path)
    expect(root.name).toBe('GET /cached')
    expect(root.attributes['http.status_code']).toBe(200)
    expect(spans).toEqual([root])
  })

  t.test('a streamed body: the request span ends once the body is sent', async () => {
    const path = target('/stream')
    const res = await t.http().get(path)
    expect(res.text).toBe('chunk 1\nchunk 2\nchunk 3\n')
    const { root } = await traceOf(path)
    expect(root.attributes['http.status_code']).toBe(200)
    // The body took three 5 ms pulls after the handler returned; the span covers them.
    const [handler] = childOf((await traceOf(path)).spans, root)
    const ms = (s: ReadableSpan) => s.endTime[0] * 1000 + s.endTime[1] / 1e6
    expect(ms(root) - ms(handler!)).toBeGreaterThanOrEqual(10)
  })

  t.test('a 405 (no handler runs) still has its request span', async () => {
    const path = target('/post-only')
    expect((await t.http().get(path)).status).toBe(405)
    const { root, spans } = await traceOf(path)
    expect(root.name).toBe('GET /post-only')
    expect(root.attributes['http.status_code']).toBe(405)
    expect(spans).toEqual([root])
  })

  t.test('a path no route serves gets no span of ours: the host answers it', async () => {
    const path = target('/nothing-here')
    expect((await t.http().get(path)).status).toBe(404)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(exporter.getFinishedSpans().filter((s) => s.attributes['http.target'] === path)).toEqual([])
  })
}

forEachTarget('OpenTelemetry', { options: { dir: fixture('tracing') } }, scenarios)

forEachTarget(
  'OpenTelemetry under a host span',
  {
    options: { dir: fixture('tracing') },
    // As Fastify's and Express's instrumentations do: a span of the host's, active for the rest of the request.
    aroundRequest(next) {
      const span = hostTracer.startSpan('host request')
      hostSpans.push(span)
      context.with(trace.setSpan(context.active(), span), next)
    },
  },
  (t) => {
    t.test("the host's active span is the parent of the request span and gets http.route", async () => {
      const path = target('/users/9')
      await t.http().get(path).set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
      const { root } = await traceOf(path)
      const host = hostSpans.find((s) => s.spanContext().spanId === root.parentSpanContext?.spanId)
      expect(host).toBeDefined()
      // The host span already carries the context: the header is not extracted a second time.
      expect(root.spanContext().traceId).toBe(host!.spanContext().traceId)
      expect((host as unknown as ReadableSpan).attributes['http.route']).toBe('/users/[id]')
      host!.end()
    }, ['host-app'])
  },
)
