/** One Node request through the router: the writer, the miss and the failure, for every Node host. */
import type { ServerResponse } from 'node:http'
import type { Logger } from '../options.js'
import type { HostRequest, Router } from '../router.js'
import type { Outgoing } from '../web/outgoing.js'
import { sendFailure, sendResponse } from './send-response.js'

/**
 * Answer `host` on `res`: the router's response is written; `miss()` when no route serves the
 * path (Express `next()`, a 404); `fail(error)` when loading or the handler failed past `onError`.
 * Synchronous when the router is (a redirect, a 400, a miss). Nothing thrown on the way (by the
 * writer, or by the host's `next`) becomes an unhandled rejection: it ends this response.
 */
export function serveNode(router: Router, host: HostRequest, res: ServerResponse, logger: Logger, miss: () => void, fail: (error: unknown) => void): void {
  const send = (out: Outgoing | undefined) => {
    try {
      if (out) void sendResponse(res, out, logger)
      else miss()
    } catch (error) {
      sendFailure(res, logger, error)
    }
  }
  const failed = (error: unknown) => {
    try {
      fail(error)
    } catch (inner) {
      sendFailure(res, logger, inner)
    }
  }
  try {
    const out = router.handle(host)
    if (out instanceof Promise) out.then(send, failed)
    else send(out)
  } catch (error) {
    failed(error)
  }
}
