/**
 * Turn the request scope on at start-up for an app whose handlers call `after()`, `waitUntil()`,
 * `connection()`, `io()`, `unstable_noStore()`, `cookies()`, `headers()`, `draftMode()` or
 * `revalidatePath()` themselves (importing the package root turns nothing on), so even a first
 * request that calls one after an `await` is tied to its run. An app that does not pays nothing for the scope; a
 * helper module that calls them is still served (lifecycle/current-run.ts), the scope being
 * turned on at its first call.
 */
import type { LoadedRoute } from '../load/load-table.js'
import { enableRequestScope } from '../scope/request-scope.js'

/** A call of one of the helpers in a function's source: `after(`, and `(0, _server.after)(` as jiti and bundlers write it. */
export const HELPER_CALL = /\b(?:after|waitUntil|connection|io|unstable_noStore|cookies|headers|draftMode|revalidatePath|revalidateTag|unstable_cache)\s*\)?\s*\(/

/** Enable the request scope if a handler of `routes` mentions one of the helpers that need it. */
export function enableScopeFor(routes: readonly LoadedRoute[]): void {
  for (const route of routes) {
    for (const handler of Object.values(route.exports.handlers)) {
      if (typeof handler === 'function' && HELPER_CALL.test(Function.prototype.toString.call(handler))) {
        enableRequestScope()
        return
      }
    }
  }
}
