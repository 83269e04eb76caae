/**
 * Issue #17, the write path: whatever a handler puts into a response (request input in a header,
 * a cookie attribute or the status text; framing headers of its own; a re-sent fetch body), one
 * request never takes the process down, no header line is injected, and the connection stays
 * parseable for the next request on it; a writer that fails anyway answers 500 or cuts the
 * connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { sendResponse, type Outgoing } from '@routeware/core/adapter'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { requestBytes, sendRaw } from './_hostile.js'
import { keepAliveGet, thenOk } from './_framed.js'
import { watchProcess } from './_process.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** `path`, then `GET /ok`, pipelined on one keep-alive connection: both must parse. */
const twoOnOneConnection = (origin: string, path: string) => thenOk(origin, keepAliveGet(origin, path))

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

forEachTarget('response framing', { options: { dir: fixture('writes') } }, (t) => {
  const failures = watchProcess()

  t.test('issue #17: a known body always goes out with its real length, whatever content-length the handler set (plain Express and Fastify send the handler\'s)', async () => {
    for (const [kind, body] of [
      ['short-length', '0123456789'],
      ['long-length', '0123456789'],
      ['json-length', '{"n":"0123456789"}'],
      ['chunked', '0123456789'],
    ] as const) {
      const res = await twoOnOneConnection(t.origin(), `/framing?case=${kind}`)
      expect(res.status, kind).toBe(200)
      expect(res.body.toString(), kind).toBe(body)
    }
    await stillServing(t, failures)
  })

  t.test('issue #17: a streamed body drops the handler\'s content-length and transfer-encoding and goes out chunked: the next request on the connection parses', async () => {
    for (const kind of ['stream-short-length', 'stream-long-length', 'stream-chunked']) {
      const res = await twoOnOneConnection(t.origin(), `/framing?case=${kind}`)
      expect(res.status, kind).toBe(200)
      expect(res.body.toString(), kind).toBe('0123456789')
      expect(res.headers['content-length'], kind).toBeUndefined()
    }
    await stillServing(t, failures)
  })

  t.test('issue #17: connection, keep-alive, proxy-connection, upgrade, te and trailer from a handler are dropped; other headers kept', async () => {
    const res = await twoOnOneConnection(t.origin(), '/framing?case=hop-by-hop')
    expect(res.body.toString()).toBe('0123456789')
    for (const name of ['proxy-connection', 'upgrade', 'te', 'trailer']) expect(res.headers[name], name).toBeUndefined()
    // Node sends its own keep-alive timeout; never the handler's.
    expect(res.headers['keep-alive'] ?? []).not.toContain('timeout=1')
    expect(res.headers.connection ?? ['keep-alive']).toEqual(['keep-alive'])
    expect(res.headers['x-kept']).toEqual(['yes'])
  })
})

/** A real upstream that answers compressed, as a CDN does. */
const TEXT = 'upstream text, '.repeat(200)
let upstream: Server
let upstreamOrigin = ''
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const coding = new URL(req.url!, 'http://x').searchParams.get('coding')
    const body = coding === 'br' ? brotliCompressSync(TEXT) : gzipSync(TEXT)
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': coding === 'br' ? 'br' : 'gzip', 'content-length': body.length })
    res.end(body)
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
})
afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

forEachTarget('re-sent fetch responses', { options: { dir: fixture('writes') } }, (t) => {
  const failures = watchProcess()

  t.test('issue #17: a compressed upstream re-sent through fetch (new Response(upstream.body, { headers: upstream.headers }), fetch\'s own Response, or its bytes) arrives decoded, with no content-encoding and a true length', async () => {
    const cases = [
      ['gzip', 'rewrap'],
      ['gzip', 'direct'],
      ['gzip', 'buffered'],
      ['br', 'rewrap'],
      ['br', 'direct'],
    ] as const
    for (const [coding, mode] of cases) {
      const to = encodeURIComponent(`${upstreamOrigin}/?coding=${coding}`)
      const res = await twoOnOneConnection(t.origin(), `/proxy?mode=${mode}&to=${to}`)
      expect(res.status, `${coding} ${mode}`).toBe(200)
      expect(res.headers['content-encoding'], `${coding} ${mode}`).toBeUndefined()
      expect(res.body.toString(), `${coding} ${mode}`).toBe(TEXT)
      expect(res.headers['content-type']).toEqual(['text/plain'])
    }
    await stillServing(t, failures)
  })

  t.test('a body the handler compressed itself keeps its content-encoding', async () => {
    const res = await twoOnOneConnection(t.origin(), '/proxy?mode=compress')
    expect(res.headers['content-encoding']).toEqual(['gzip'])
    expect(gunzipSync(res.body).toString()).toBe('compressed by the handler')
  })
})

forEachTarget('response streams that fail', { options: { dir: fixture('writes') } }, (t) => {
  const failures = watchProcess()

  t.test('issue #17: a stream that rejects before its first chunk answers an empty 500, or cuts the connection where the headers already left; its message never reaches the client (plain Fastify sends it in a JSON 500)', async () => {
    const now = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/stream-fails-early'))
    expect(now.status).toBe(500)
    expect(now.body).toBe('')
    const late = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/stream-fails-early?at=late'))
    expect(late.head + late.body).not.toMatch(/secret stream failure/)
    if (late.status === 500) expect(late.body).toBe('')
    else expect(late.complete, `status ${late.status}: the client must see an incomplete response`).toBe(false)
    await stillServing(t, failures)
  })
})

describe('the Node writer', () => {
  const failures = watchProcess()

  it('issue #17: a header, status or status text Node refuses at write time is an empty 500 for that request, never a throw; a stream is cancelled', async () => {
    const logged: unknown[] = []
    const logger = { error: (...args: unknown[]) => void logged.push(args), warn() {}, info() {} }
    let cancelled = 0
    const stream = (): Outgoing['body'] => ({ next: async () => new TextEncoder().encode('chunk'), cancel: () => void cancelled++ })
    const answers: Record<string, Outgoing> = {
      '/header': { status: 200, statusText: '', headers: [['x-bad', 'a\x01b'], ['x-fine', '1']], body: 'ok' },
      '/name': { status: 200, statusText: '', headers: [['bad name', '1']], body: 'ok' },
      '/status': { status: 1000, statusText: '', headers: [], body: 'ok' },
      '/status-text': { status: 200, statusText: 'a\r\nx-injected: yes', headers: [], body: null },
      '/stream': { status: 200, statusText: '', headers: [['x-bad', 'a\x7fb']], body: stream() },
      '/ok': { status: 200, statusText: '', headers: [], body: 'ok' },
    }
    const server = createServer((req, res) => {
      expect(() => sendResponse(res, answers[req.url!]!, logger)).not.toThrow()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      for (const path of ['/header', '/name', '/status', '/status-text', '/stream']) {
        const res = await sendRaw(origin, requestBytes(origin, 'GET', path))
        expect(res.status, path).toBe(500)
        expect(res.body, path).toBe('')
        expect(res.headers['x-fine'], path).toBeUndefined()
        expect(res.headers['x-injected'], path).toBeUndefined()
      }
      expect(cancelled).toBe(1)
      expect(logged).toHaveLength(5)
      expect((await sendRaw(origin, requestBytes(origin, 'GET', '/ok'))).status).toBe(200)
      expect(failures).toEqual([])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
