/** The Hono app both Hono contenders serve: `c.json`, `c.req.json()`, a ReadableStream body. */
import { Hono } from 'hono'
import { STREAM_CHUNK, STREAM_CHUNKS, STREAM_TYPE } from './_scenarios.mjs'

/** A new Hono app answering every load scenario. */
export function createHonoApp() {
  const app = new Hono()
  app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }))
  app.get('/cached/:id', (c) => c.json({ id: c.req.param('id') }))
  app.post('/echo', async (c) => c.json(await c.req.json()))
  app.get('/stream', (c) => {
    let sent = 0
    const body = new ReadableStream({
      pull(controller) {
        controller.enqueue(STREAM_CHUNK)
        if (++sent === STREAM_CHUNKS) controller.close()
      },
    })
    return c.body(body, 200, { 'content-type': STREAM_TYPE })
  })
  return app
}
