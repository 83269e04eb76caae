/**
 * Issue #17, the write path: whatever a handler puts into a response (request input in a header,
 * a cookie attribute or the status text), one request never takes the process down and no
 * header line is injected.
 */
import { afterEach, beforeEach, expect } from 'vitest'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { requestBytes, sendRaw } from './_hostile.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Collect unhandled rejections and uncaught exceptions while each test runs. */
function watchProcess() {
  const failures: unknown[] = []
  const onFailure = (reason: unknown) => failures.push(reason)
  beforeEach(() => {
    failures.length = 0
    process.on('unhandledRejection', onFailure)
    process.on('uncaughtException', onFailure)
  })
  afterEach(() => {
    process.off('unhandledRejection', onFailure)
    process.off('uncaughtException', onFailure)
  })
  return failures
}

async function stillServing(t: TargetContext, failures: unknown[]) {
  await wait(20)
  expect(failures, 'unhandled rejections and uncaught exceptions').toEqual([])
  const ok = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/ok'))
  expect(ok.status, 'the server still answers').toBe(200)
}

const get = (t: TargetContext, where: string, value: string) =>
  sendRaw(t.origin(), requestBytes(t.origin(), 'GET', `/echo?where=${where}&v=${encodeURIComponent(value)}`))

/** What the log line must name for each place a value lands in. */
const PLACES: Array<[where: string, named: RegExp]> = [
  ['header', /x-echo/],
  ['disposition', /content-disposition/],
  ['json-header', /x-echo/],
  ['set-header', /x-echo/],
  ['stream-header', /x-echo/],
  ['cookie-name', /cookie/i],
  ['cookie-domain', /cookie "c"/i],
  ['cookie-path', /cookie "c"/i],
  ['cookies-name', /cookie/i],
  ['cookies-path', /cookie "c"/i],
  ['cookies-domain', /cookie "c"/i],
]

forEachTarget('response writes', { options: { dir: fixture('writes') } }, (t) => {
  const failures = watchProcess()

  t.test('issue #17: %01 or %7F from the query in a header, a filename, a cookie name/domain/path answers an empty 500 naming the route file and the field, and the process stays up (plain Fastify answers 500 with the error message)', async () => {
    for (const value of ['a\x01b', 'a\x7fb']) {
      for (const [where, named] of PLACES) {
        const before = t.logs().length
        const res = await get(t, where, value)
        expect(res.status, `${where} ${JSON.stringify(value)}`).toBe(500)
        expect(res.body, where).toBe('')
        await wait(5)
        const logged = t.logs().slice(before).join('\n')
        expect(logged, where).toMatch(/echo[\\/]route\.ts/)
        expect(logged, where).toMatch(named)
      }
    }
    await stillServing(t, failures)
  })

  t.test('issue #17: CR, LF, NUL or a header line from the query in a header or a cookie answers 500 and never becomes a header line', async () => {
    for (const value of ['a\rb', 'a\nb', 'a\x00b', 'x\r\nx-injected: yes', 'x\r\n\r\ninjected body']) {
      for (const [where] of PLACES) {
        const res = await get(t, where, value)
        expect(res.status, `${where} ${JSON.stringify(value)}`).toBe(500)
        expect(res.headers['x-injected'], where).toBeUndefined()
        expect(res.body, where).toBe('')
      }
    }
    await stillServing(t, failures)
  })

  t.test('issue #17: a status text with CR/LF, a control character or a character past U+00FF answers 500 on every target, as undici refuses it in new Response()', async () => {
    for (const value of ['Fine\r\nx-injected: yes', 'Fine\n', 'a\x01b', 'euro \u20ac', '\u0100']) {
      for (const where of ['status-text', 'json-status-text', 'redirect-status-text']) {
        const res = await get(t, where, value)
        expect(res.status, `${where} ${JSON.stringify(value)}`).toBe(500)
        expect(res.headers['x-injected']).toBeUndefined()
      }
    }
    await stillServing(t, failures)
  })

  t.test('a status text undici accepts is sent as given', async () => {
    const fine = await get(t, 'json-status-text', 'All\tGood')
    expect(fine.status).toBe(200)
    expect(fine.head).toMatch(/^HTTP\/1\.1 200 All\tGood\r\n/)
  }, ['node-writer'])

  t.test('issue #17: a ";" in a cookie name, path or domain cannot add an attribute: 500, logged naming the cookie (plain Express res.cookie and @fastify/cookie refuse it too, through cookie.serialize)', async () => {
    const cases: Array<[string, string]> = [
      ['cookie-path', '/; Domain=evil.example'],
      ['cookies-path', '/; Domain=evil.example'],
      ['cookie-domain', 'good.example; Domain=evil.example'],
      ['cookies-domain', 'good.example; Domain=evil.example'],
      ['cookie-name', 'sid=x; Domain=evil.example; a'],
      ['cookies-name', 'sid=x; Domain=evil.example; a'],
      ['cookies-samesite', 'lax; Domain=evil.example'],
    ]
    for (const [where, value] of cases) {
      const before = t.logs().length
      const res = await get(t, where, value)
      expect(res.status, `${where} ${value}`).toBe(500)
      expect(JSON.stringify(res.headers['set-cookie'] ?? ''), where).not.toContain('evil')
      await wait(5)
      expect(t.logs().slice(before).join('\n'), where).toMatch(/cookie/i)
    }
    // The cookie value is encoded, never refused.
    const value = await get(t, 'cookie-value', 'a; Domain=evil.example')
    expect(value.status).toBe(200)
    expect(value.headers['set-cookie']).toBe('c=a%3B%20Domain%3Devil.example; Path=/')
    await stillServing(t, failures)
  })
})
