/** `createHandler`: the same pipeline as the adapters, with a fetch `Request` in and a `Response` out. */
import { resolveOptions, type RoutesOptions } from './options.js'
import { PassToHost } from './run-route.js'
import { createRouter } from './router.js'
import { webBodySource } from './web/body-source.js'
import { isStreamBody, type Outgoing } from './web/outgoing.js'

/** A fetch-style handler: `(request) => Promise<Response>`, 404 when nothing matches. */
export type FetchHandler = (request: Request) => Promise<Response>

/** Load `dir` and resolve to a fetch-style handler. Rejects with the load error, naming the file. */
export async function createHandler(input: RoutesOptions | string | URL): Promise<FetchHandler> {
  const options = resolveOptions(input)
  const router = createRouter(options)
  await router.ready()
  return async (request) => {
    const url = new URL(request.url)
    let out: Outgoing | undefined
    try {
      out = await router.handle({
        method: request.method,
        url: url.pathname + url.search,
        prefix: '',
        origin: () => url.origin,
        headers: () => request.headers,
        body: () => (request.body ? webBodySource(request.body, options.bodyLimit) : null),
        signal: () => request.signal,
        logger: options.logger,
      })
    } catch (error) {
      if (!(error instanceof PassToHost)) throw error
      options.logger.error(error.error)
      return new Response(null, { status: 500 })
    }
    return out ? toResponse(out) : new Response(null, { status: 404 })
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
