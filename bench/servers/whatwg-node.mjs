/**
 * `@whatwg-node/server`: `createServerAdapter` on node:http, the handler written as its README
 * does (global `Response.json`, `request.json()`, a ReadableStream body), routed by pathname.
 */
import { createServerAdapter } from '@whatwg-node/server'
import { createServer } from 'node:http'
import { listen } from './_listen.mjs'
import { STREAM_CHUNK, STREAM_CHUNKS, STREAM_TYPE } from './_scenarios.mjs'

/** @param {number} port */
export function start(port) {
  const adapter = createServerAdapter(async (request) => {
    const { pathname } = new URL(request.url)
    if (request.method === 'POST' && pathname === '/echo') return Response.json(await request.json())
    if (request.method === 'GET' && pathname === '/stream') return stream()
    const match = request.method === 'GET' ? /^\/(?:users|cached)\/([^/]+)$/.exec(pathname) : null
    if (!match) return new Response(null, { status: 404 })
    return Response.json({ id: decodeURIComponent(match[1]) })
  })
  return listen(createServer(adapter), port)
}

function stream() {
  let sent = 0
  const body = new ReadableStream({
    pull(controller) {
      controller.enqueue(STREAM_CHUNK)
      if (++sent === STREAM_CHUNKS) controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': STREAM_TYPE } })
}
