/** The writer for fetch: the router's outcome as a Web `Response` (`createHandler`). */
import type { Logger } from '../options.js'
import { HostError, isStreamBody, MISS, type Outcome, type Outgoing } from '../seam.js'

/**
 * Where the fetch writer says the `Response` is delivered: its body read to the end or cancelled,
 * or it has none. A fetch host knows no more of the send; `after()` tasks run then.
 */
export interface Delivery {
  /** True when something waits for the delivery (a handler called `after()`): a known body is then read through a stream that tells. */
  readonly awaited: boolean
  delivered(): void
  /** Headers for the 404 of a miss (those the proxy's `next()` set). */
  readonly missHeaders?: ReadonlyArray<[string, string]> | undefined
}

/** The outcome as a `Response`: `MISS` is a 404, a `HostError` a logged, empty 500. Never rejects. */
export async function toFetchResponse(outcome: Outcome | Promise<Outcome>, logger: Logger, what: () => string, delivery?: Delivery): Promise<Response> {
  let settled: Outcome
  try {
    settled = await outcome
  } catch (error) {
    settled = new HostError(error)
  }
  if (settled === MISS) {
    delivery?.delivered()
    const headers = new Headers()
    for (const [name, value] of delivery?.missHeaders ?? []) headers.append(name, value)
    return new Response(null, { status: 404, headers })
  }
  if (settled instanceof HostError) {
    delivery?.delivered()
    logger.error(settled.error)
    return new Response(null, { status: 500 })
  }
  try {
    return toResponse(settled, delivery)
  } catch (error) {
    // Core checked every header and the status text already; this is the last resort.
    if (isStreamBody(settled.body)) settled.body.cancel(error)
    delivery?.delivered()
    logger.error(`Routeware could not build the response to ${what()}; answered 500 instead:`, error)
    return new Response(null, { status: 500 })
  }
}

/** An `Outgoing` as a fetch `Response`; `delivery` hears when its body was read or cancelled. */
export function toResponse(out: Outgoing, delivery?: Delivery): Response {
  const headers = new Headers()
  for (const [name, value] of out.headers) headers.append(name, value)
  const { body } = out
  const init: ResponseInit = { status: out.status, statusText: out.statusText, headers }
  if (!isStreamBody(body)) {
    if (body === null || !delivery?.awaited) {
      delivery?.delivered()
      return new Response(body as Uint8Array | string | null, init)
    }
    // The same bytes and length, through a stream whose end is the delivery.
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    headers.set('content-length', String(bytes.byteLength))
    let sent = false
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent || bytes.byteLength === 0) {
            controller.close()
            delivery.delivered()
            return
          }
          sent = true
          controller.enqueue(bytes)
        },
        cancel() {
          delivery.delivered()
        },
      }, { highWaterMark: 0 }),
      init,
    )
  }
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await body.next()
          if (chunk === undefined) {
            controller.close()
            delivery?.delivered()
          } else controller.enqueue(chunk)
        } catch (error) {
          controller.error(error)
          delivery?.delivered()
        }
      },
      cancel(reason) {
        body.cancel(reason)
        delivery?.delivered()
      },
    }),
    init,
  )
}
