/** One `GET /users/123` through a Node request listener with in-memory request/response objects (no socket): Routeware's whole path minus the network. */
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'

const socket = new Socket()

/** Resolves with the status once the listener ended the response (its bytes stay in memory). */
export function inMemoryGet(listener) {
  return new Promise((resolve) => {
    const req = new IncomingMessage(socket)
    req.method = 'GET'
    req.url = '/users/123'
    req.headers = { host: 'localhost' }
    req.rawHeaders = ['host', 'localhost']
    req.complete = true
    req.push(null)
    const res = new ServerResponse(req)
    const end = res.end
    res.end = function (...args) {
      end.apply(this, args)
      resolve(res.statusCode)
      return this
    }
    listener(req, res)
  })
}
