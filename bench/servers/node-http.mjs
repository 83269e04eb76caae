/** Baseline: raw node:http, the least a Node server can do for each scenario. */
import { createServer } from 'node:http'
import { listen } from './_listen.mjs'
import { STREAM_CHUNK, STREAM_CHUNKS, STREAM_TYPE } from './_scenarios.mjs'

/** @param {number} port */
export async function start(port) {
  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    if (req.method === 'POST' && path === '/echo') return echo(req, res)
    if (req.method === 'GET' && path === '/stream') return stream(res)
    const match = /^\/(?:users|cached)\/([^/]+)$/.exec(path)
    if (req.method !== 'GET' || !match) {
      res.statusCode = 404
      res.end()
      return
    }
    json(res, JSON.stringify({ id: decodeURIComponent(match[1]) }))
  })
  return listen(server, port)
}

function json(res, body) {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** Collect the body as one buffer, parse, answer it. */
function echo(req, res) {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    let body
    try {
      body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    } catch {
      res.statusCode = 400
      res.end()
      return
    }
    json(res, body)
  })
}

/** Write the chunks as the socket takes them (chunked encoding), waiting for 'drain'. */
function stream(res) {
  res.writeHead(200, { 'content-type': STREAM_TYPE })
  let sent = 0
  const write = () => {
    while (sent < STREAM_CHUNKS) {
      sent++
      if (!res.write(STREAM_CHUNK)) {
        res.once('drain', write)
        return
      }
    }
    res.end()
  }
  write()
}
