/**
 * `instrumentation.ts` beside the app directory: `register()` runs once, before the first request
 * (and before any route module is imported), with NEXT_RUNTIME=nodejs; `onRequestError` gets
 * Next 16.4.6's exact arguments for every error a handler throws, read here by a stand-in for
 * Sentry's `captureRequestError`, never for navigation or `after()` errors, never delaying the
 * response. A `register()` that throws, or an `instrumentation` option that names nothing, refuses the start.
 */
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { fixture, forEachTarget, forEachTargetStartup, type TargetContext } from './_suite.js'

const dir = fixture('instrumentation')

interface Captured {
  error: string
  normalizedRequest: { headers: Record<string, string>; method: string }
  nextjs: { request_path: string; router_kind: string; router_path: string; route_type: string }
  transactionName: string
  shape: { requestKeys: string[]; contextKeys: string[]; headersPrototype: string; revalidateReason: unknown }
}

async function captured(t: TargetContext, marker: string): Promise<Captured[]> {
  return (await t.http().get(`/captured?marker=${marker}`)).body as Captured[]
}

/** What was captured for `marker` once `count` reports arrived (they come after the response). */
async function capturedEventually(t: TargetContext, marker: string, count = 1): Promise<Captured[]> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = await captured(t, marker)
    if (found.length >= count || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Give a report that should not come the time it would take to come. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

forEachTarget('instrumentation.ts', { options: { dir } }, (t) => {
  t.test('register() ran once, to its end, before any route module was imported, with NEXT_RUNTIME=nodejs', async () => {
    const res = await t.http().get('/registered')
    expect(res.body).toEqual({ registeredBeforeImport: true, registered: true, registerCalls: 1, runtime: 'nodejs' })
  })

  t.test("onRequestError gets Next's exact arguments for a handler's error, as Sentry's captureRequestError reads them", async () => {
    const marker = randomUUID()
    const res = await t.http().get('/users/42/throws?tab=a&b=1').set('x-marker', marker).set('user-agent', 'instrumentation-test')
    expect(res.status).toBe(500)
    const [report, ...more] = await capturedEventually(t, marker)
    expect(more).toEqual([])
    expect(report).toEqual({
      error: 'user lookup failed',
      normalizedRequest: { headers: expect.objectContaining({ 'x-marker': marker, 'user-agent': 'instrumentation-test' }), method: 'GET' },
      nextjs: { request_path: '/users/42/throws?tab=a&b=1', router_kind: 'App Router', router_path: '/users/[id]/throws', route_type: 'route' },
      transactionName: '/users/[id]/throws',
      shape: { requestKeys: ['path', 'method', 'headers'], contextKeys: ['routerKind', 'routePath', 'routeType', 'revalidateReason'], headersPrototype: 'null', revalidateReason: undefined },
    })
  })

  t.test('a POST is reported with its method', async () => {
    const marker = randomUUID()
    expect((await t.http().post('/users/7/throws').set('x-marker', marker).send('x')).status).toBe(500)
    const [report] = await capturedEventually(t, marker)
    expect(report!.normalizedRequest.method).toBe('POST')
    expect(report!.nextjs.request_path).toBe('/users/7/throws')
  })

  t.test('not called for notFound(), redirect(), unauthorized() or forbidden()', async () => {
    const marker = randomUUID()
    expect((await t.http().get('/nav/not-found').set('x-marker', marker)).status).toBe(404)
    expect((await t.http().get('/nav/redirect').set('x-marker', marker)).status).toBe(307)
    expect((await t.http().get('/nav/unauthorized').set('x-marker', marker)).status).toBe(401)
    expect((await t.http().get('/nav/forbidden').set('x-marker', marker)).status).toBe(403)
    await settle()
    expect(await captured(t, marker)).toEqual([])
  })

  t.test('not called for an error inside an after() task, which is logged instead', async () => {
    const marker = randomUUID()
    expect((await t.http().get('/after-error').set('x-marker', marker)).text).toBe('ok')
    await settle()
    expect(await captured(t, marker)).toEqual([])
    expect(t.logs().join('\n')).toMatch(/An error occurred in a function passed to `after\(\)` \(.*after-error[\\/]route\.ts\):[\s\S]*an after task failed/)
  })

  t.test('a handler that returns no Response is reported with Next\'s message', async () => {
    const marker = randomUUID()
    expect((await t.http().get('/no-response').set('x-marker', marker)).status).toBe(500)
    const [report] = await capturedEventually(t, marker)
    expect(report!.error).toMatch(/^No response is returned from route handler '.*no-response[\\/]route\.ts'\./)
  })

  t.test('the response never waits for onRequestError', async () => {
    const marker = randomUUID()
    const started = Date.now()
    expect((await t.http().get('/slow-report').set('x-marker', marker)).status).toBe(500)
    // onRequestError takes 1.5 s for this error; the 500 came long before.
    expect(Date.now() - started).toBeLessThan(1200)
    expect(await captured(t, marker)).toEqual([])
    expect((await capturedEventually(t, marker)).map((c) => c.error)).toEqual(['slow to report'])
  })
})

forEachTarget('instrumentation: false', { options: { dir, instrumentation: false } }, (t) => {
  t.test('no onRequestError is called', async () => {
    const marker = randomUUID()
    expect((await t.http().get('/users/1/throws').set('x-marker', marker)).status).toBe(500)
    await settle()
    expect(await captured(t, marker)).toEqual([])
  })
})

const throwing = fileURLToPath(new URL('./fixtures/instrumentation-throws/instrumentation.ts', import.meta.url))

forEachTargetStartup('instrumentation.ts whose register() throws', { options: { dir: fixture('instrumentation-throws') } }, (t) => {
  const refusal = {
    code: 'ROUTEWARE_INSTRUMENTATION_FAILED',
    message: `The instrumentation file ${throwing} threw in register(): no DSN configured.\n  Fix the error in that file, or start without it: \`instrumentation: false\`.`,
    files: [throwing],
  }
  t.test('start-up fails naming the file', () => {
    expect(t.failure()).toMatchObject(refusal)
  })
  t.test('a start nobody awaits never rejects unhandled; the refusal is the same', async () => {
    const { error, unhandled } = await t.unawaited()
    expect(unhandled).toEqual([])
    expect(error).toMatchObject(refusal)
  }, ['unawaited-start'])
})

forEachTargetStartup('instrumentation option naming a file that does not exist', { options: { dir, instrumentation: '/no/such/instrumentation.ts' } }, (t) => {
  t.test('start-up fails naming the option and the file', () => {
    expect(t.failure()).toMatchObject({
      code: 'ROUTEWARE_INVALID_OPTION',
      message: '`instrumentation` must be false or the path of your instrumentation file: /no/such/instrumentation.ts does not exist or is not a file.',
    })
  })
})

forEachTargetStartup('instrumentation option of the wrong type', { options: { dir, instrumentation: true as never } }, (t) => {
  t.test('start-up fails naming the option', () => {
    expect(t.failure()).toMatchObject({ code: 'ROUTEWARE_INVALID_OPTION', message: expect.stringMatching(/^`instrumentation` must be false, or the path of your instrumentation file .*; got true\.$/) })
  })
})
