/** One Node request through the router: the writer, the miss and the failure, for every Node host. */
import type { ServerResponse } from 'node:http'
import type { Logger } from '../options.js'
import type { HostRequest, Router } from '../router.js'
import type { Outgoing } from '../web/outgoing.js'
import { sendResponse } from './send-response.js'

/**
 * Answer `host` on `res`: the router's response is written; `miss()` when no route serves the
 * path (Express `next()`, a 404); `fail(error)` when loading or the handler failed past `onError`.
 * Synchronous when the router is (a redirect, a 400, a miss).
 */
export function serveNode(router: Router, host: HostRequest, res: ServerResponse, logger: Logger, miss: () => void, fail: (error: unknown) => void): void {
  const send = (out: Outgoing | undefined) => (out ? sendResponse(res, out, logger) : miss())
  try {
    const out = router.handle(host)
    if (out instanceof Promise) out.then(send, fail)
    else send(out)
  } catch (error) {
    fail(error)
  }
}
