/**
 * The scenarios every contender serves, with the exact answer each must give. Shared by the
 * contenders (payloads), run.mjs (load and pre-flight check) and servers.test.ts (same bytes).
 */
import { request } from 'node:http'

/** The stream scenario: `STREAM_CHUNKS` chunks of this 1 KB, `text/plain; charset=utf-8`. */
export const STREAM_CHUNK = Buffer.from(`${'x'.repeat(1023)}\n`)
export const STREAM_CHUNKS = 100
export const STREAM_TYPE = 'text/plain; charset=utf-8'

/**
 * A JSON document of exactly `size` bytes that `JSON.stringify(JSON.parse(text))` gives back
 * unchanged, so every contender's echo must answer these very bytes.
 */
export function jsonBody(size) {
  const items = []
  const base = JSON.stringify({ items: [], pad: '' }).length
  let length = base
  for (let i = 0; ; i++) {
    const item = { id: i, name: `item-${String(i).padStart(5, '0')}`, tags: ['bench', 'routeware'], active: i % 2 === 0 }
    const added = JSON.stringify(item).length + (items.length > 0 ? 1 : 0)
    if (length + added > size) break
    items.push(item)
    length += added
  }
  const text = JSON.stringify({ items, pad: 'x'.repeat(size - length) })
  if (text.length !== size) throw new Error(`jsonBody(${size}) came out at ${text.length} bytes`)
  return text
}

/**
 * @typedef {{ name: string, title: string, method: 'GET' | 'POST', path: string, body?: string,
 *   expected: { status: number, type: string, body: Buffer } }} Scenario
 */

const echo = (name, size) => {
  const body = jsonBody(size)
  return {
    name,
    title: `POST /echo, ${size / 1024} KB JSON through request.json(), answered as JSON`,
    method: /** @type {const} */ ('POST'),
    path: '/echo',
    body,
    expected: { status: 200, type: 'application/json', body: Buffer.from(body) },
  }
}

/** Load scenarios (req/s): every contender serves all of them. @type {Record<string, Scenario>} */
export const loadScenarios = {
  get: {
    name: 'get',
    title: 'GET /users/123 -> {"id":"123"}',
    method: 'GET',
    path: '/users/123',
    expected: { status: 200, type: 'application/json', body: Buffer.from('{"id":"123"}') },
  },
  cached: {
    name: 'cached',
    title: 'GET /cached/123 -> {"id":"123"}: a cache HIT for Routeware and Next (force-static, prerendered); plain servers compute it',
    method: 'GET',
    path: '/cached/123',
    expected: { status: 200, type: 'application/json', body: Buffer.from('{"id":"123"}') },
  },
  'echo-1k': echo('echo-1k', 1024),
  'echo-64k': echo('echo-64k', 64 * 1024),
  stream: {
    name: 'stream',
    title: `GET /stream, ${STREAM_CHUNKS} chunks of 1 KB from a stream`,
    method: 'GET',
    path: '/stream',
    expected: { status: 200, type: 'text/plain', body: Buffer.concat(Array.from({ length: STREAM_CHUNKS }, () => STREAM_CHUNK)) },
  },
}

/** `type/subtype` of a content-type, lower-cased, without parameters (the "family" compared). */
export function mediaType(contentType) {
  return String(contentType ?? '').split(';')[0].trim().toLowerCase()
}

/**
 * One request with node:http (no Accept-Encoding, so nobody compresses): the raw answer.
 * @param {number} port
 * @param {Pick<Scenario, 'method' | 'path' | 'body'>} scenario
 * @returns {Promise<{ status: number, type: string, body: Buffer, cache: string | undefined }>}
 */
export function fetchRaw(port, { method, path, body }) {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const cache = res.headers['x-routeware-cache']
        resolve({ status: res.statusCode ?? 0, type: mediaType(res.headers['content-type']), body: Buffer.concat(chunks), cache: Array.isArray(cache) ? cache[0] : cache })
      })
    })
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** Why an answer differs from the scenario's expected one, or `undefined` when it is the same. */
export function differs(answer, expected) {
  if (answer.status !== expected.status) return `status ${answer.status}, expected ${expected.status}`
  if (answer.type !== expected.type) return `content-type ${answer.type || '(none)'}, expected ${expected.type}`
  if (!answer.body.equals(expected.body)) {
    const shown = (b) => JSON.stringify(b.subarray(0, 80).toString('latin1')) + (b.length > 80 ? '...' : '')
    return `body of ${answer.body.length} bytes ${shown(answer.body)}, expected ${expected.body.length} bytes ${shown(expected.body)}`
  }
  return undefined
}
