/**
 * Navigation helpers. Each throws an error tagged with Next's `digest`, so code that already
 * recognizes Next's digests (and a user `try/catch` that rethrows them) keeps working.
 */

/** `redirect(url, type)`'s second argument, as in Next. */
export enum RedirectType {
  push = 'push',
  replace = 'replace',
}

/** The error `redirect()` and friends throw; the pipeline turns it into a response. */
export interface NavigationError extends Error {
  digest: string
}

function navigationError(message: string, digest: string): never {
  const error = new Error(message) as NavigationError
  error.digest = digest
  throw error
}

/** Answer 307 with `Location: url` (303 for a form or Server Action POST). */
export function redirect(url: string, type: RedirectType = RedirectType.replace): never {
  navigationError('NEXT_REDIRECT', `NEXT_REDIRECT;${type};${url};307;`)
}

/** Answer 308 with `Location: url` (303 for a form or Server Action POST). */
export function permanentRedirect(url: string, type: RedirectType = RedirectType.replace): never {
  navigationError('NEXT_REDIRECT', `NEXT_REDIRECT;${type};${url};308;`)
}

/** Answer an empty 404. */
export function notFound(): never {
  navigationError('NEXT_HTTP_ERROR_FALLBACK;404', 'NEXT_HTTP_ERROR_FALLBACK;404')
}

/** Answer an empty 403 (no `authInterrupts` flag needed). */
export function forbidden(): never {
  navigationError('NEXT_HTTP_ERROR_FALLBACK;403', 'NEXT_HTTP_ERROR_FALLBACK;403')
}

/** Answer an empty 401 (no `authInterrupts` flag needed). */
export function unauthorized(): never {
  navigationError('NEXT_HTTP_ERROR_FALLBACK;401', 'NEXT_HTTP_ERROR_FALLBACK;401')
}

/** What a thrown value asks for, if it carries one of Next's digests. */
export function readNavigation(error: unknown): { status: number; location?: string } | undefined {
  const digest = typeof error === 'object' && error !== null ? (error as { digest?: unknown }).digest : undefined
  if (typeof digest !== 'string') return undefined
  if (digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;')) {
    const status = Number(digest.slice('NEXT_HTTP_ERROR_FALLBACK;'.length))
    return status === 404 || status === 403 || status === 401 ? { status } : undefined
  }
  if (digest.startsWith('NEXT_REDIRECT;')) {
    // NEXT_REDIRECT;<type>;<url>;<status>; — the URL itself may contain ';'.
    const rest = digest.slice('NEXT_REDIRECT;'.length)
    const typeEnd = rest.indexOf(';')
    const statusStart = rest.lastIndexOf(';', rest.length - 2)
    const location = rest.slice(typeEnd + 1, statusStart)
    const status = Number(rest.slice(statusStart + 1, rest.endsWith(';') ? -1 : undefined))
    if (!(status === 307 || status === 308 || status === 303)) return undefined
    return { status, location }
  }
  return undefined
}

/**
 * Rethrow `error` when it is one of Next's own (a `redirect()`, `notFound()`, `forbidden()` or
 * `unauthorized()`, or one in its `cause` chain), so a `try/catch` around code that may call them
 * lets them through (packages/next/src/client/components/unstable-rethrow.server.ts).
 */
export function unstable_rethrow(error: unknown): void {
  if (readNavigation(error) !== undefined) throw error
  if (error instanceof Error && 'cause' in error) unstable_rethrow(error.cause)
}
