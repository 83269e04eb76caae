/**
 * Responses read the way a client on a keep-alive connection must read them (RFC 9112 §6.3):
 * each one framed by `transfer-encoding: chunked` or `content-length`, never both, so a body
 * longer or shorter than its framing shows up as a broken next response.
 */
import { connect } from 'node:net'

/** One response, and what followed it on the connection. */
export interface Framed {
  status: number
  head: string
  headers: Record<string, string[]>
  body: Buffer
  rest: string
}

/** Parse one response from the start of `text` (latin1); throws on anything a strict client would refuse. */
export function readFramed(text: string): Framed {
  const end = text.indexOf('\r\n\r\n')
  const status = /^HTTP\/1\.1 (\d{3})[^\r\n]*\r\n/.exec(text)
  if (end === -1 || !status) throw new Error(`no response head in ${JSON.stringify(text.slice(0, 200))}`)
  const head = text.slice(0, end)
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(head.replace(/\r\n/g, ''))) throw new Error(`a control character in the head: ${JSON.stringify(head)}`)
  const headers: Record<string, string[]> = {}
  for (const line of head.split('\r\n').slice(1)) {
    const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/.exec(line)
    if (!match) throw new Error(`not a header line: ${JSON.stringify(line)}`)
    ;(headers[match[1]!.toLowerCase()] ??= []).push(match[2]!)
  }
  let rest = text.slice(end + 4)
  const te = headers['transfer-encoding']
  const cl = headers['content-length']
  if (te && cl) throw new Error(`both transfer-encoding and content-length: ${JSON.stringify(head)}`)
  if (cl && cl.length !== 1) throw new Error(`content-length sent ${cl.length} times`)
  const noBody = status[1] === '204' || status[1] === '304'
  if (te) {
    if (te.join(',') !== 'chunked') throw new Error(`transfer-encoding ${te.join(',')}`)
    const parts: Buffer[] = []
    for (;;) {
      const lineEnd = rest.indexOf('\r\n')
      if (lineEnd === -1) throw new Error('chunked body cut short')
      const size = parseInt(rest.slice(0, lineEnd), 16)
      if (Number.isNaN(size)) throw new Error(`bad chunk size ${JSON.stringify(rest.slice(0, lineEnd))}`)
      if (size === 0) {
        if (rest.slice(lineEnd, lineEnd + 4) !== '\r\n\r\n') throw new Error('trailers or a missing end after the last chunk')
        rest = rest.slice(lineEnd + 4)
        break
      }
      if (rest.length < lineEnd + 2 + size + 2) throw new Error('chunk cut short')
      parts.push(Buffer.from(rest.slice(lineEnd + 2, lineEnd + 2 + size), 'latin1'))
      rest = rest.slice(lineEnd + 4 + size)
    }
    return { status: Number(status[1]), head, headers, body: Buffer.concat(parts), rest }
  }
  const length = noBody ? 0 : Number(cl?.[0] ?? 0)
  if (!cl && !noBody && rest.length > 0 && headers.connection?.[0] !== 'close') throw new Error('a body with no framing on a keep-alive connection')
  if (rest.length < length) throw new Error(`body shorter than its content-length ${length}: ${rest.length}`)
  return { status: Number(status[1]), head, headers, body: Buffer.from(rest.slice(0, length), 'latin1'), rest: rest.slice(length) }
}

/** Everything the server sends back for `bytes`, until it closes (latin1). */
export function exchange(origin: string, bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.setTimeout(5000, () => {
      socket.destroy()
      reject(new Error(`timeout; received ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 300))}`))
    })
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => {})
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.write(bytes)
  })
}

/**
 * Send `request` (a keep-alive request head, and body), then `GET /ok` on the same connection;
 * return the first response, read strictly. Throws unless the second parses as `200 ok`.
 */
export async function thenOk(origin: string, request: Buffer | string): Promise<Framed> {
  const { host } = new URL(origin)
  const next = `GET /ok HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`
  const text = await exchange(origin, Buffer.concat([typeof request === 'string' ? Buffer.from(request, 'latin1') : request, Buffer.from(next)]))
  const first = readFramed(text)
  const second = readFramed(first.rest)
  if (second.status !== 200 || second.body.toString() !== 'ok') throw new Error(`the next request on the connection got ${second.status} ${JSON.stringify(second.body.toString())}`)
  return first
}

/** A keep-alive `GET path` request head. */
export const keepAliveGet = (origin: string, path: string) => `GET ${path} HTTP/1.1\r\nHost: ${new URL(origin).host}\r\n\r\n`
