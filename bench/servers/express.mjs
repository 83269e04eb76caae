/** Plain Express 5: one route answered with `res.json` (defaults kept: ETag, X-Powered-By). */
import express from 'express'
import { createServer } from 'node:http'
import { listen } from './_listen.mjs'

/** @param {number} port */
export async function start(port) {
  const app = express()
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id })
  })
  return listen(createServer(app), port)
}
