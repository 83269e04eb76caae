/** Raw HTTP over a socket, for paths a client library would normalize (`/a/../b`, `//a`, `%2e`). */
import { connect } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[]>
  body: string
}

/** Send one request exactly as written and read the whole response (Connection: close). */
export function rawRequest(origin: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.setTimeout(5000, () => socket.destroy(new Error(`raw request ${method} ${path} timed out`)))
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end === -1) return reject(new Error(`no complete response to ${method} ${path}: ${JSON.stringify(text)}`))
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
      const headers: Record<string, string | string[]> = {}
      for (const line of lines) {
        const i = line.indexOf(':')
        const name = line.slice(0, i).toLowerCase()
        const value = line.slice(i + 1).trim()
        const prev = headers[name]
        headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
      }
      let rest = text.slice(end + 4)
      if (String(headers['transfer-encoding']).includes('chunked')) {
        let out = ''
        for (;;) {
          const lineEnd = rest.indexOf('\r\n')
          const size = parseInt(rest.slice(0, lineEnd), 16)
          if (!size) break
          out += rest.slice(lineEnd + 2, lineEnd + 2 + size)
          rest = rest.slice(lineEnd + 4 + size)
        }
        rest = out
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(rest, 'latin1').toString('utf8') })
    })
    const head = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close']
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`)
    if (body !== undefined) head.push(`Content-Length: ${Buffer.byteLength(body)}`)
    socket.write(head.join('\r\n') + '\r\n\r\n' + (body ?? ''))
  })
}
