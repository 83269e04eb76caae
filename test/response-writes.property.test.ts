/**
 * Issue #17, property test: random strings and bytes from the request, put by a handler into
 * response header names and values, framing headers, cookie names, values and attributes, and
 * the status text, on every target. No crash (no unhandled rejection, the server keeps serving),
 * every response framed so that the next request on the keep-alive connection parses, and no
 * header line or cookie attribute of the attacker's making.
 */
import { expect } from 'vitest'
import fc from 'fast-check'
import { fixture, forEachTarget } from './_suite.js'
import { thenOk } from './_framed.js'
import { watchProcess } from './_process.js'

const PLACES = [
  'header',
  'header-name',
  'disposition',
  'json-header',
  'json-header-name',
  'stream-header',
  'set-header',
  'length',
  'chunked',
  'cookie-name',
  'cookie-value',
  'cookie-domain',
  'cookie-path',
  'cookies-name',
  'cookies-path',
  'cookies-domain',
  'cookies-samesite',
  'status-text',
  'json-status-text',
  'redirect-status-text',
] as const

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1')

/** What an attacker would send: random text, random bytes, a header line or an attribute after a separator. */
const hostileValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.uint8Array({ maxLength: 24 }).map(latin1),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('\r\n', '\n', '\r', ';', '; ', '\r\n\r\n', '\x00', '\x01', '\x7f', '\u2028', '\u0100'),
      fc.constantFrom('x-injected: yes', 'Domain=evil.example', 'HTTP/1.1 200 OK'),
    )
    .map(([before, separator, payload]) => `${before}${separator}${payload}`),
  fc.constantFrom('content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'content-encoding', 'set-cookie', 'vary', '5', '-1', 'chunked', 'gzip'),
)

forEachTarget('random request input in every part of a response', { options: { dir: fixture('writes') } }, (t) => {
  const failures = watchProcess()

  t.test('issue #17: no crash, every response framed for the next request, no injected header line or cookie attribute', async () => {
    const { host } = new URL(t.origin())
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PLACES), hostileValue, async (where, value) => {
        const body = Buffer.from(JSON.stringify({ where, value }))
        const request = Buffer.concat([
          Buffer.from(`POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`),
          body,
        ])
        const label = `${where} ${JSON.stringify(value)}`
        const res = await thenOk(t.origin(), request).catch((error: Error) => {
          throw new Error(`${label}: ${error.message}`)
        })
        expect([200, 307, 500], label).toContain(res.status)
        // Every line of the head is a well-formed field (thenOk checked): no injected line or status line.
        expect(res.headers['x-injected'], label).toBeUndefined()
        for (const line of res.headers['set-cookie'] ?? []) expect(line, label).not.toMatch(/;\s*Domain=evil\.example/i)
        if (res.status === 500) expect(res.body.length, label).toBe(0)
      }),
      { numRuns: 150 },
    )
    expect(failures, 'unhandled rejections and uncaught exceptions').toEqual([])
  }, [], 60000)
})
