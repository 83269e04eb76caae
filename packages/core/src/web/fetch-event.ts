/**
 * `NextFetchEvent`, the proxy's second argument (Next's
 * packages/next/src/server/web/spec-extension/fetch-event.ts): `waitUntil(promise)` goes to the
 * `waitUntil` it was built with (Routeware's: as `after(promise)`), or is collected when there is
 * none; `request` and `respondWith()` are the removed middleware signature and throw Next's error.
 */
import type { NextRequest } from './next-request.js'

const kWaitUntil = Symbol('routeware.waitUntil')
const kPassThrough = Symbol('routeware.passThrough')

type WaitUntil = (promise: Promise<unknown>) => void

/** Next's message for the pre-13 middleware signature. */
function signatureError(page: string): Error {
  const error = new Error(`The middleware "${page}" accepts an async API directly with the form:
  
  export function middleware(request, event) {
    return NextResponse.redirect('/new-location')
  }
  
  Read more: https://nextjs.org/docs/messages/middleware-new-signature
  `)
  error.name = 'PageSignatureError'
  return error
}

/** The event passed beside the request to `proxy.ts` (and `middleware.ts`). */
export class NextFetchEvent {
  /** The proxy file's page, `'/proxy'` or `'/middleware'`. */
  sourcePage: string
  [kWaitUntil]: { external: WaitUntil } | { promises: Promise<unknown>[] };
  [kPassThrough] = false

  constructor(params: { request: NextRequest; page: string; context?: { waitUntil: WaitUntil } | undefined }) {
    this.sourcePage = params.page
    const external = params.context?.waitUntil
    this[kWaitUntil] = external ? { external } : { promises: [] }
  }

  /** Keep the request's work alive until `promise` settles; it never delays the response. */
  waitUntil(promise: Promise<unknown>): void {
    const target = this[kWaitUntil]
    if ('external' in target) target.external(promise)
    else target.promises.push(promise)
  }

  /** Kept from the Fetch event; does nothing. */
  passThroughOnException(): void {
    this[kPassThrough] = true
  }

  /** @deprecated The request is the proxy's first argument. Throws Next's error. */
  get request(): never {
    throw signatureError(this.sourcePage)
  }

  /** @deprecated Return the response instead. Throws Next's error. */
  respondWith(): never {
    throw signatureError(this.sourcePage)
  }
}

/** The promises given to `waitUntil` of an event built without one (Next's `getWaitUntilPromiseFromEvent`). */
export function waitUntilPromiseOf(event: NextFetchEvent): Promise<void> | undefined {
  const target = event[kWaitUntil]
  return 'promises' in target ? Promise.all(target.promises).then(() => undefined) : undefined
}
