/** The writer for fetch: the router's outcome as a Web `Response` (`createHandler`). */
import type { Logger } from '../options.js'
import { HostError, isStreamBody, MISS, type Outcome, type Outgoing } from '../seam.js'

/** The outcome as a `Response`: `MISS` is a 404, a `HostError` a logged, empty 500. Never rejects. */
export async function toFetchResponse(outcome: Outcome | Promise<Outcome>, logger: Logger, what: () => string): Promise<Response> {
  let settled: Outcome
  try {
    settled = await outcome
  } catch (error) {
    settled = new HostError(error)
  }
  if (settled === MISS) return new Response(null, { status: 404 })
  if (settled instanceof HostError) {
    logger.error(settled.error)
    return new Response(null, { status: 500 })
  }
  try {
    return toResponse(settled)
  } catch (error) {
    // Core checked every header and the status text already; this is the last resort.
    if (isStreamBody(settled.body)) settled.body.cancel(error)
    logger.error(`Routeware could not build the response to ${what()}; answered 500 instead:`, error)
    return new Response(null, { status: 500 })
  }
}

/** An `Outgoing` as a fetch `Response`. */
export function toResponse(out: Outgoing): Response {
  const headers = new Headers()
  for (const [name, value] of out.headers) headers.append(name, value)
  const { body } = out
  const init: ResponseInit = { status: out.status, statusText: out.statusText, headers }
  if (!isStreamBody(body)) return new Response(body as Uint8Array | string | null, init)
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await body.next()
          if (chunk === undefined) controller.close()
          else controller.enqueue(chunk)
        } catch (error) {
          controller.error(error)
        }
      },
      cancel(reason) {
        body.cancel(reason)
      },
    }),
    init,
  )
}
