/**
 * Draft mode, as Next 16 does it (packages/next/src/server/async-storage/draft-mode-provider.ts,
 * packages/next/src/server/api-utils/node/try-get-preview-data.ts): a request is a draft when its
 * `__prerender_bypass` cookie carries this app's preview id; `enable()` and `disable()` set and
 * clear that cookie with Next's attributes.
 */
import { parse } from 'cookie'
import type { RequestSource } from '../seam.js'
import { normalizeCookie, type ResponseCookie } from './response-cookies.js'

/** Next's cookie name (`COOKIE_NAME_PRERENDER_BYPASS`, packages/next/src/server/api-utils/index.ts). */
export const PRERENDER_BYPASS = '__prerender_bypass'

/** What a draft answer carries instead of the cache's headers: Next's, for a response no cache may keep. */
export const DRAFT_CACHE_CONTROL = 'private, no-cache, no-store, max-age=0, must-revalidate'

/** True when `cookieHeader` carries `__prerender_bypass=<previewModeId>`. */
export function hasDraftCookie(cookieHeader: string | null | undefined, previewModeId: string): boolean {
  // Most requests carry no such cookie: a substring test before any parsing.
  if (!cookieHeader || !cookieHeader.includes(PRERENDER_BYPASS)) return false
  return parse(cookieHeader)[PRERENDER_BYPASS] === previewModeId
}

/** True when `source` is a draft request of this app (its cookie read raw: not a dynamic input). */
export function isDraftRequest(source: RequestSource, previewModeId: string): boolean {
  return hasDraftCookie(source.header ? source.header('cookie') : source.headers().get('cookie'), previewModeId)
}

/**
 * The cookie `enable()` (`previewModeId`) or `disable()` (`undefined`) sets: HttpOnly, `Path=/`,
 * `SameSite=none; Secure`, or `SameSite=lax` without Secure in dev, as Next outside production.
 */
export function draftCookie(previewModeId: string | undefined, dev: boolean): ResponseCookie {
  const cookie: ResponseCookie = { name: PRERENDER_BYPASS, value: previewModeId ?? '', httpOnly: true, sameSite: dev ? 'lax' : 'none', secure: !dev, path: '/' }
  // Next expires it rather than sending Max-Age=0 (RFC 6265 §4.1.1).
  if (previewModeId === undefined) cookie.expires = new Date(0)
  return normalizeCookie(cookie)
}

/** One request's draft-mode state, shared by every `draftMode()` call in it. */
export interface DraftState {
  readonly previewModeId: string
  readonly dev: boolean
  /** Known (a draft run, or after `enable()`/`disable()`), or read from `source`'s cookie on first use. */
  enabled: boolean | undefined
  /** The request as the handler's run received it, read raw. */
  readonly source: RequestSource
}
