/**
 * `createHandler` from `@routeware/core` behind the smallest honest node:http adapter:
 * a real `Request` in (all headers, streamed body for non-GET/HEAD, abort on client close),
 * the `Response` streamed back. No fast paths: this is what a generic fetch-style bridge costs.
 */
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { createHandler } from '@routeware/core'
import { appDir } from './_dir.mjs'
import { generateTree } from './_tree.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port @param {{ routes?: number }} [options] `routes`: serve a generated tree of that many routes */
export async function start(port, { routes: count } = {}) {
  const dir = count ? generateTree(count) : appDir
  const handle = await createHandler({ dir })
  const server = createServer((req, res) => {
    serve(handle, req, res).catch((error) => {
      console.error(error)
      if (!res.headersSent) res.statusCode = 500
      res.end()
    })
  })
  return listen(server, port)
}

/**
 * @param {(request: Request) => Promise<Response>} handle
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function serve(handle, req, res) {
  const headers = new Headers()
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1])
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) controller.abort()
  })
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
    method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: /** @type {ReadableStream} */ (Readable.toWeb(req)), duplex: 'half' } : {}),
  })
  const response = await handle(request)

  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (!response.body) {
    res.end()
    return
  }
  for await (const chunk of response.body) {
    // Respect backpressure: wait for 'drain' when the socket buffer is full.
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}
