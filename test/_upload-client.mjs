/**
 * Upload clients on their own thread (a worker), so they write while the server reads, as a
 * client in another process does: on the server's event loop they would only ever write while
 * the server waits. Each writes its whole body before it reads anything (node:http `end(body)`,
 * or every chunk without waiting for `drain`; a raw socket writing every byte at once) and
 * reports the status it read (or the error it got instead), and an error that cut the exchange
 * after the status.
 *
 * workerData: { origin, size, concurrency, jobs: [{ kind: 'http' | 'raw', chunked, path }] }
 * posts: [{ job, status, error?, after? }] in job order.
 */
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'

const { origin, size, concurrency, jobs } = workerData
const body = Buffer.alloc(size, 0x61)
const chunk = body.subarray(0, 64 * 1024)
const chunkFrame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
const agent = new Agent({ keepAlive: true })
const TIMEOUT = 20000

/** node:http: settles once the response and the upload are both over, or on the first error. */
function viaHttp(path, chunked) {
  return new Promise((resolve) => {
    let status
    let settled = false
    const settle = (error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(status === undefined ? { status, error } : error ? { status, after: error } : { status })
    }
    const timer = setTimeout(() => settle('timeout'), TIMEOUT)
    const req = request(`${origin}${path}`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/octet-stream', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) }) },
    })
    req.on('response', (res) => {
      status = res.statusCode
      res.resume()
      // Settle once the upload is over too, to see whether it ended cleanly.
      res.on('end', () => (req.writableFinished ? settle() : req.once('finish', () => settle()).once('close', () => settle())))
      res.on('error', (e) => settle(e.code ?? e.message))
    })
    req.on('error', (e) => settle(e.code ?? e.message))
    req.on('close', () => settle('closed'))
    if (!chunked) req.end(body)
    else {
      for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk)
      req.end()
    }
  })
}

/** A raw socket asking `Connection: close`: every byte written at once, then read until the server closes. */
function viaSocket(path, chunked) {
  const { hostname, port, host } = new URL(origin)
  const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`
  const head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n${framing}\r\n\r\n`
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    const received = []
    let error
    const timer = setTimeout(() => {
      error = 'timeout'
      socket.destroy()
    }, TIMEOUT)
    socket.on('data', (c) => received.push(c))
    socket.on('error', (e) => {
      error ??= e.code ?? e.message
    })
    socket.on('close', () => {
      clearTimeout(timer)
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(received).toString('latin1'))
      resolve(match ? { status: Number(match[1]), ...(error ? { after: error } : {}) } : { status: undefined, error: error ?? 'closed' })
    })
    socket.write(head)
    if (!chunked) socket.write(body)
    else {
      for (let sent = 0; sent < size; sent += chunk.length) socket.write(chunkFrame)
      socket.write('0\r\n\r\n')
    }
  })
}

const answers = new Array(jobs.length)
let next = 0
async function lane() {
  while (next < jobs.length) {
    const i = next++
    const { kind, chunked, path } = jobs[i]
    answers[i] = { job: jobs[i], ...(await (kind === 'http' ? viaHttp(path, chunked) : viaSocket(path, chunked))) }
  }
}
await Promise.all(Array.from({ length: concurrency }, lane))
agent.destroy()
parentPort.postMessage(answers)
