/**
 * A raw client for hostile input: sends bytes exactly as given and never throws, whatever the
 * server does (431 then reset, 400 then close, a cut stream). `_raw-http.ts` wraps it for
 * well-formed requests, where anything but a complete answer is an error.
 */
import { connect } from 'node:net'

export interface RawAnswer {
  /** The status of the first response, `undefined` when no status line came back. */
  status: number | undefined
  /** The response head as received (latin1), for header-injection checks. */
  head: string
  headers: Record<string, string | string[]>
  /** The body, de-chunked when complete; `undefined` status leaves it as everything received. */
  body: string
  /** True when a chunked body ended with its terminating chunk. */
  complete: boolean
  /** A socket error (ECONNRESET...) or `timeout`, if the exchange ended that way. */
  error?: string
}

/** A request head (and body) as bytes: `requestBytes('GET', '/a', { x: 'y' })`; `Connection: close` is added. */
export function requestBytes(origin: string, method: string, target: string | Buffer, headers: Array<[string, string | Buffer]> = [], body?: Buffer | string): Buffer {
  const { host } = new URL(origin)
  const parts: Buffer[] = [Buffer.from(`${method} `), Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'), Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`)]
  for (const [name, value] of headers) parts.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'))
  if (body !== undefined) parts.push(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n`))
  parts.push(Buffer.from('\r\n'))
  if (body !== undefined) parts.push(Buffer.isBuffer(body) ? body : Buffer.from(body))
  return Buffer.concat(parts)
}

/** Write `bytes`, read until the server closes (or `timeout` ms), parse what came back. */
export function sendRaw(origin: string, bytes: Buffer, timeout = 5000): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    let error: string | undefined
    socket.setTimeout(timeout, () => {
      error = 'timeout'
      socket.destroy()
    })
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message
    })
    socket.on('close', () => resolve({ ...parseResponse(Buffer.concat(chunks).toString('latin1')), ...(error ? { error } : {}) }))
    socket.write(bytes)
  })
}

/** Parse one HTTP/1.1 response (latin1 text). */
export function parseResponse(text: string): Omit<RawAnswer, 'error'> {
  const end = text.indexOf('\r\n\r\n')
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text)
  if (end === -1 || !match) return { status: match ? Number(match[1]) : undefined, head: end === -1 ? text : text.slice(0, end), headers: {}, body: text, complete: false }
  const [, ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string | string[]> = {}
  for (const line of lines) {
    const i = line.indexOf(':')
    const name = line.slice(0, i).toLowerCase()
    const value = line.slice(i + 1).trim()
    const prev = headers[name]
    headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
  }
  let rest = text.slice(end + 4)
  let complete = true
  if (String(headers['transfer-encoding']).includes('chunked')) {
    let out = ''
    complete = false
    for (;;) {
      const lineEnd = rest.indexOf('\r\n')
      if (lineEnd === -1) break
      const size = parseInt(rest.slice(0, lineEnd), 16)
      if (Number.isNaN(size)) break
      if (size === 0) {
        complete = true
        break
      }
      if (rest.length < lineEnd + 2 + size) {
        out += rest.slice(lineEnd + 2)
        break
      }
      out += rest.slice(lineEnd + 2, lineEnd + 2 + size)
      rest = rest.slice(lineEnd + 4 + size)
    }
    rest = out
  } else if (headers['content-length'] !== undefined) {
    complete = Buffer.byteLength(rest, 'latin1') >= Number(headers['content-length'])
  }
  return { status: Number(match[1]), head: text.slice(0, end), headers, body: Buffer.from(rest, 'latin1').toString('utf8'), complete }
}

/** A response body must not leak a stack trace or a file path (outside dev). */
export const LEAK = /\n\s+at |\/fixtures\/|\/packages\/|node:internal|\.ts:\d+/
