/**
 * Cache keys: the mount prefix the request came through, then the path below it (one `routes()`
 * mounted at `/t/:tenant` keeps each tenant's entries apart), in one spelling per resource. Each path segment is decoded, then encoded again the one
 * way `encodeURIComponent` does (as `generateStaticParams` paths are built), so `%C3%A9`, `%c3%a9`
 * and `é`, or `a:b` and `a%3Ab`, which the handler sees as one param, are one entry and one listed path.
 */

/** Characters `encodeURIComponent` leaves as they are, and `/`: a path made of them is already canonical. */
const PLAIN = /^[A-Za-z0-9\-_.!~*'()/]*$/

/** The path with every segment in its canonical encoding (a segment that does not decode is kept). */
export function canonicalPath(path: string): string {
  return PLAIN.test(path) ? path : path.split('/').map(canonicalSegment).join('/')
}

function canonicalSegment(segment: string): string {
  if (PLAIN.test(segment)) return segment
  try {
    return encodeURIComponent(decodeURIComponent(segment))
  } catch {
    return segment
  }
}

/** The key of `path` (below the prefix) under the concrete mount prefix `prefix` (`''` at the root). */
export function toCacheKey(prefix: string, path: string): string {
  const below = canonicalPath(path)
  if (prefix === '') return below
  return canonicalPath(prefix) + (below === '/' ? '' : below)
}
