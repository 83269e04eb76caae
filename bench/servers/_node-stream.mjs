/** The stream scenario as a Node `Readable` (what Fastify's and Express's own routes send). */
import { Readable } from 'node:stream'
import { STREAM_CHUNK, STREAM_CHUNKS } from './_scenarios.mjs'

/** A fresh Readable of `STREAM_CHUNKS` chunks of 1 KB. */
export function chunkReadable() {
  let sent = 0
  return new Readable({
    read() {
      this.push(sent++ < STREAM_CHUNKS ? STREAM_CHUNK : null)
    },
  })
}
