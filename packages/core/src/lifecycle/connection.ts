/**
 * `connection()` (`next/server`), `io()` and `unstable_noStore()` (`next/cache`): each says "this
 * run needs a real request", which makes a cached route dynamic exactly as reading `headers()`
 * does, and throws Next's error under `dynamic = 'error'`. At request time `connection()` and
 * `io()` resolve at once (packages/next/src/server/request/connection.ts).
 */
import { trackDynamic } from '../web/next-request.js'
import { currentRequest, maybeOutsideScope } from './current-run.js'

/** Resolves at request time; marks the route dynamic (a cached route is no longer stored). */
export function connection(): Promise<void> {
  return markDynamic('connection')
}

/** `io()` from `next/cache`: as `connection()`, before code that reads the clock, randomness or other I/O. */
export function io(): Promise<void> {
  return markDynamic('io')
}

/**
 * `unstable_noStore()` from `next/cache`, which `connection()` replaces: marks the route dynamic.
 * Outside a request it does nothing, as in Next (packages/next/src/server/web/spec-extension/unstable-no-store.ts).
 */
export function unstable_noStore(): void {
  const request = currentRequest()
  if (request) trackDynamic(request, 'unstable_noStore()')
}

function markDynamic(name: string): Promise<void> {
  const request = currentRequest()
  if (request) trackDynamic(request, `${name}()`)
  else if (!maybeOutsideScope()) throw new Error(`\`${name}\` was called outside a request scope. Read more: https://nextjs.org/docs/messages/next-dynamic-api-wrong-context`)
  return Promise.resolve()
}
