/** Plain Express 5 (defaults kept: ETag, X-Powered-By): `res.json`, `express.json()`, a piped Readable. */
import express from 'express'
import { createServer } from 'node:http'
import { listen } from './_listen.mjs'
import { chunkReadable } from './_node-stream.mjs'
import { STREAM_TYPE } from './_scenarios.mjs'

/** @param {number} port */
export async function start(port) {
  const app = express()
  app.get(['/users/:id', '/cached/:id'], (req, res) => {
    res.json({ id: req.params.id })
  })
  app.post('/echo', express.json(), (req, res) => {
    res.json(req.body)
  })
  app.get('/stream', (_req, res) => {
    res.set('content-type', STREAM_TYPE)
    chunkReadable().pipe(res)
  })
  return listen(createServer(app), port)
}
