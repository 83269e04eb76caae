/** Baseline: raw node:http, the least a Node server can do for this route. */
import { createServer } from 'node:http'
import { listen } from './_listen.mjs'

/** @param {number} port */
export async function start(port) {
  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    const match = /^\/users\/([^/]+)$/.exec(path)
    if (req.method !== 'GET' || !match) {
      res.statusCode = 404
      res.end()
      return
    }
    const body = JSON.stringify({ id: decodeURIComponent(match[1]) })
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  return listen(server, port)
}
