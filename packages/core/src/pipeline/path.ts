/**
 * Stage 1, the path rule: the raw path decides whether a request is ours before anything else.
 * Only origin-form targets (RFC 9112 §3.2.1) under the mount prefix; a path the host could route
 * differently (dot segments, encoded unreserved characters, `//`, backslashes, the wrong trailing
 * slash) answers 308 to its canonical form when that form is a route, so the client comes back
 * through the host's own guards; `%00` and malformed escapes answer 400 when the path is ours.
 */
import { emptyOutgoing, MISS, type Outgoing } from '../seam.js'
import { canonicalize, isCanonical, splitPath, splitRaw } from '../tree/canonical.js'
import type { LoadedRoute } from '../load/load-table.js'
import type { Matcher } from '../tree/match.js'
import { redirectOutgoing } from '../web/outgoing.js'

/** A path the pipeline goes on with: below the mount prefix, canonical, split and decoded. */
export interface RoutedPath {
  /** Below the prefix, no trailing slash, still percent-encoded (cache keys, `dynamicParams`). */
  path: string
  segments: string[]
}

/** Apply the path rule to `url` (raw path and query, prefix included); `matcher` tells which paths are ours. */
export function resolvePath(url: string, prefix: string, trailingSlash: boolean, matcher: Matcher<LoadedRoute>): RoutedPath | Outgoing | typeof MISS {
  const q = url.indexOf('?')
  const rawPath = q === -1 ? url : url.slice(0, q)
  // `*/admin`, `admin/x` and absolute-form would otherwise lose their first segment in the split
  // and slip past a host guard on `/admin`.
  if (rawPath.charCodeAt(0) !== 47) return MISS
  const canonical = isCanonical(rawPath, trailingSlash) ? undefined : canonicalize(rawPath, trailingSlash)
  if (canonical?.malformed) {
    // Ours only if the path, read without decoding, lands on one of our routes.
    const sub = below(rawPath, prefix)
    return sub !== undefined && matcher.match(splitRaw(sub)) ? emptyOutgoing(400) : MISS
  }
  if (canonical?.changed) {
    const sub = below(canonical.path, prefix)
    const segments = sub === undefined ? undefined : splitPath(stripSlash(sub))
    if (!segments || !matcher.match(segments)) return MISS
    return redirectOutgoing(canonical.path + (q === -1 ? '' : url.slice(q)))
  }
  const sub = below(rawPath, prefix)
  if (sub === undefined) return MISS
  const path = stripSlash(sub)
  const segments = splitPath(path)
  if (!segments) return matcher.match(splitRaw(path)) ? emptyOutgoing(400) : MISS
  return { path, segments }
}

/** The path below the mount prefix, or `undefined` when the path is outside it. */
function below(path: string, prefix: string): string | undefined {
  if (!prefix) return path
  if (path === prefix) return '/'
  return path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 ? path.slice(prefix.length) : undefined
}

/** With `trailingSlash: true` canonical paths end in `/`; the matcher wants them without. */
function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}
