/** `NextResponse`: Next's response class with its static helpers. */

import { ResponseCookies } from './response-cookies.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const kCookies = Symbol('routeware.responseCookies')

/** Next's `NextResponse`: `json()`, `redirect()`, and the middleware-only `next()`/`rewrite()`. */
export class NextResponse<Body = unknown> extends Response {
  declare private readonly __body?: Body
  declare private [kCookies]: ResponseCookies | undefined

  /** The response's cookies: set/delete write one `Set-Cookie` line per cookie. */
  get cookies(): ResponseCookies {
    return (this[kCookies] ??= new ResponseCookies(this.headers))
  }

  /** A JSON response with `content-type: application/json`. */
  static override json<JsonBody>(body: JsonBody, init?: ResponseInit): NextResponse<JsonBody> {
    const headers = new Headers(init?.headers)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    return new NextResponse<JsonBody>(JSON.stringify(body), { ...init, headers })
  }

  /** A redirect to an absolute URL; 307 unless a redirect status is given. */
  static override redirect(url: string | URL, init?: number | ResponseInit): NextResponse {
    const status = typeof init === 'number' ? init : (init?.status ?? 307)
    if (!REDIRECTS.has(status)) throw new RangeError('Failed to execute "redirect" on "response": Invalid status code')
    const headers = new Headers(typeof init === 'object' ? init.headers : undefined)
    headers.set('location', validateUrl(url))
    return new NextResponse(null, { ...(typeof init === 'object' ? init : {}), headers, status })
  }

  /** Middleware only: a route handler that returns it answers 500, as in Next. */
  static rewrite(destination: string | URL, init?: ResponseInit): NextResponse {
    const headers = new Headers(init?.headers)
    headers.set('x-middleware-rewrite', validateUrl(destination))
    return new NextResponse(null, { ...init, headers })
  }

  /** Middleware only: a route handler that returns it answers 500, as in Next. */
  static next(init?: ResponseInit): NextResponse {
    const headers = new Headers(init?.headers)
    headers.set('x-middleware-next', '1')
    return new NextResponse(null, { ...init, headers })
  }
}

function validateUrl(url: string | URL): string {
  try {
    return String(new URL(String(url)))
  } catch (error) {
    throw new Error(`URL is malformed "${String(url)}". Please use only absolute URLs - https://nextjs.org/docs/messages/middleware-relative-urls`, { cause: error })
  }
}
