/**
 * The types of `proxy.ts` as `next/server` names them: `NextProxy` (Next 16), `NextMiddleware`
 * (its older name), what they may return, and the `config` export.
 */
import type { RouteHas } from '../load/proxy-matcher.js'
import type { NextFetchEvent } from './fetch-event.js'
import type { NextRequest } from './next-request.js'
import type { NextResponse } from './next-response.js'

/** What a proxy may return: nothing (go on), `NextResponse.next()` / `rewrite()` / `redirect()`, or any `Response`. */
export type NextMiddlewareResult = NextResponse | Response | null | undefined | void

/** The function `proxy.ts` exports: `export const proxy: NextProxy = (request, event) => ...`. */
export type NextProxy = (request: NextRequest, event: NextFetchEvent) => NextMiddlewareResult | Promise<NextMiddlewareResult>

/** The pre-16 name of {@link NextProxy}. */
export type NextMiddleware = NextProxy

/** One matcher of `config.matcher`: a path pattern, or a pattern with header/cookie/query/host conditions. */
export type ProxyMatcher = string | { source: string; has?: RouteHas[]; missing?: RouteHas[]; locale?: false }

/** `export const config: ProxyConfig = { matcher: [...] }` in `proxy.ts`. */
export interface ProxyConfig {
  matcher?: ProxyMatcher | ProxyMatcher[]
}

/** The pre-16 name of {@link ProxyConfig}. */
export type MiddlewareConfig = ProxyConfig
