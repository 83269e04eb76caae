/**
 * Response bodies leave byte for byte, whichever way a writer sends them: a small body of bytes
 * goes out in one write with the headers (as latin-1 text through the Node writer, as UTF-8 text
 * through Fastify when it is valid UTF-8), and a cached entry is replayed as text when its bytes
 * are UTF-8. Bytes that are not UTF-8 and bodies without a content-type must come back unchanged.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

const BINARY = [0x7b, 0xff, 0x00, 0xc3, 0xa9, 0x80, 0x7d, 0x0a]
const UTF8 = [...Buffer.from(JSON.stringify({ name: 'é € 😀' }))]

async function bytesOf(origin: string, path: string) {
  const response = await fetch(origin + path)
  const bytes = [...new Uint8Array(await response.arrayBuffer())]
  // The fetch-style target's server may stream the Response without a length; a length given must be the body's.
  return { status: response.status, headers: response.headers, bytes, length: response.headers.get('content-length') ?? String(bytes.length) }
}

forEachTarget('body bytes', { options: { dir: fixture('body-bytes') } }, (t) => {
  t.test('bytes that are not UTF-8 come back exactly, with their length and content-type', async () => {
    const res = await bytesOf(t.origin(), '/binary')
    expect([res.status, res.bytes, res.length, res.headers.get('content-type')]).toEqual([200, BINARY, String(BINARY.length), 'application/octet-stream'])
  })

  t.test('a Response.json body of multi-byte UTF-8 comes back exactly', async () => {
    const res = await bytesOf(t.origin(), '/utf8')
    expect([res.status, res.bytes, res.length, res.headers.get('content-type')]).toEqual([200, UTF8, String(UTF8.length), 'application/json'])
  })

  t.test('bytes without a content-type come back exactly and are not labelled as text', async () => {
    const res = await bytesOf(t.origin(), '/untyped')
    expect([res.status, res.bytes]).toEqual([200, [0x68, 0x69]])
    expect(res.headers.get('content-type') ?? '').not.toMatch(/^text\//)
  })

  t.test('cached entries replay their exact bytes on a HIT, UTF-8 or not', async () => {
    for (const [path, expected] of [['/cached-binary', BINARY], ['/cached-utf8', UTF8]] as const) {
      // Static opt-in routes are rendered at start-up (as next build prerenders): HIT from the first read.
      const first = await bytesOf(t.origin(), path)
      const hit = await bytesOf(t.origin(), path)
      expect([first.headers.get('x-routeware-cache'), first.bytes]).toEqual(['HIT', expected])
      expect([hit.status, hit.headers.get('x-routeware-cache'), hit.bytes, hit.length]).toEqual([200, 'HIT', expected, String(expected.length)])
      const head = await fetch(t.origin() + path, { method: 'HEAD' })
      expect([head.status, head.headers.get('x-routeware-cache'), (await head.arrayBuffer()).byteLength]).toEqual([200, 'HIT', 0])
    }
  })

  t.test('an entry generated on a request (MISS) sends and replays its exact bytes', async () => {
    for (const [path, expected] of [['/on-demand/binary', BINARY], ['/on-demand/utf8', UTF8]] as const) {
      const miss = await bytesOf(t.origin(), path)
      const hit = await bytesOf(t.origin(), path)
      expect([miss.status, miss.headers.get('x-routeware-cache'), miss.bytes]).toEqual([200, 'MISS', expected])
      expect([hit.status, hit.headers.get('x-routeware-cache'), hit.bytes, hit.length]).toEqual([200, 'HIT', expected, String(expected.length)])
    }
  })
})
