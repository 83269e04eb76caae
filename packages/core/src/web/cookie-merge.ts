/** Next's `appendMutableCookies`: `cookies()` writes join the response's own `Set-Cookie`, the response winning by name. */
import type { Outgoing } from '../seam.js'
import { normalizeCookie, parseSetCookie, serializeCookie, type ResponseCookie } from './response-cookies.js'

/**
 * Re-serialize the response's cookies and add the ones written through `cookies()` that the
 * response did not set (Next's appendMutableCookies, packages/next/src/server/web/spec-extension/adapters/request-cookies.ts): the response's names first, in their order, each
 * once, with `Path=/` filled in.
 */
export function mergeCookieMutations(out: Outgoing, mutations: ReadonlyMap<string, ResponseCookie>): void {
  const merged = new Map<string, ResponseCookie>()
  const rest: Outgoing['headers'] = []
  for (const entry of out.headers) {
    if (entry[0] !== 'set-cookie') {
      rest.push(entry)
      continue
    }
    const cookie = parseSetCookie(entry[1])
    if (cookie) {
      merged.delete(cookie.name)
      merged.set(cookie.name, normalizeCookie(cookie))
    }
  }
  for (const [name, cookie] of mutations) if (!merged.has(name)) merged.set(name, cookie)
  for (const cookie of merged.values()) rest.push(['set-cookie', serializeCookie(cookie)])
  out.headers = rest
}

/** The `Set-Cookie` lines for `cookies()` writes alone (a `redirect()` carries them). */
export function mutationLines(mutations: ReadonlyMap<string, ResponseCookie> | undefined): Outgoing['headers'] {
  return mutations ? [...mutations.values()].map((c): [string, string] => ['set-cookie', serializeCookie(c)]) : []
}
