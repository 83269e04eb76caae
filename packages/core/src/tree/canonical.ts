/**
 * Routeware's path rule (README, "Paths"). A raw path is canonical when it has no dot segments (also `%2e`),
 * no percent-encoded unreserved characters, no repeated slashes, no backslashes, and a trailing
 * slash only where `trailingSlash` wants one. Anything else is redirected (308) to its canonical
 * form when that form is a route, so the client comes back through the host's own guards.
 */

export interface CanonicalPath {
  /** The canonical path (still percent-encoded where it must be). */
  path: string
  /** True when `path` differs from the raw path. */
  changed: boolean
  /** True for a malformed escape or an encoded NUL: answer 400 when the path is ours. */
  malformed: boolean
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/
const HEX = /^[0-9A-Fa-f]{2}$/

/** The cheap test the hot path runs: no `//`, `/.`, `%` or `\\`, and the trailing slash as wanted. */
export function isCanonical(raw: string, trailingSlash: boolean): boolean {
  // One pass over the characters: cheaper than a regular expression on every request.
  const end = raw.length
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i)
    if (c === 37 || c === 92) return false // `%`, `\`
    if (c === 47 && i + 1 < end) {
      const next = raw.charCodeAt(i + 1)
      if (next === 47 || next === 46) return false // `//`, `/.`
    }
  }
  return trailingOk(raw, trailingSlash)
}

/** Canonicalize a raw path (no query). Cheap when the path is already canonical. */
export function canonicalize(raw: string, trailingSlash: boolean): CanonicalPath {
  if (isCanonical(raw, trailingSlash)) return { path: raw, changed: false, malformed: false }
  let malformed = false
  const out: string[] = []
  const parts = raw.replace(/\\/g, '/').split('/')
  const endsWithSlash = parts.length > 1 && parts[parts.length - 1] === ''
  for (const part of parts) {
    let segment = part
    if (segment.includes('%')) {
      segment = segment.replace(/%(..)?/g, (escape: string, hex: string | undefined) => {
        if (hex === undefined || !HEX.test(hex)) {
          malformed = true
          return escape
        }
        const char = String.fromCharCode(parseInt(hex, 16))
        if (char === '\0') malformed = true
        return UNRESERVED.test(char) ? char : escape
      })
    }
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      out.pop()
      continue
    }
    out.push(segment)
  }
  let path = '/' + out.join('/')
  if (trailingSlash && out.length > 0) {
    const want = wantsSlash(out)
    if (want === undefined ? endsWithSlash : want) path += '/'
  }
  return { path, changed: path !== raw, malformed }
}

function trailingOk(raw: string, trailingSlash: boolean): boolean {
  if (raw === '/') return true
  const ends = raw.endsWith('/')
  if (!trailingSlash) return !ends
  const want = wantsSlash(raw.split('/').filter(Boolean))
  return want === undefined || ends === want
}

/**
 * With `trailingSlash: true`, Next's redirects (lib/load-custom-routes.ts): a last segment that
 * ends like a file (`.json`) loses the slash, one without a dot gains it, anything else and
 * `.well-known` paths are served either way (`undefined`).
 */
function wantsSlash(segments: readonly string[]): boolean | undefined {
  const last = segments.at(-1)
  if (last === undefined || isWellKnown(segments)) return undefined
  if (/\.\w+$/.test(last)) return false
  if (!last.includes('.')) return true
  return undefined
}

function isWellKnown(segments: readonly string[]): boolean {
  return segments[0] === '.well-known'
}

/**
 * Split a canonical path into decoded segments. Each segment is decoded once, after splitting,
 * so `%2F` stays inside its segment. Returns `undefined` when a segment does not decode.
 */
export function splitPath(path: string): string[] | undefined {
  if (path === '/') return []
  // One pass over the characters (no `split`, no `indexOf`: both call out of JavaScript for a
  // string this short); each segment is sliced once, decoded only when it holds a `%`.
  const end = path.length
  let start = 0
  while (start < end && path.charCodeAt(start) !== 47) start++
  if (start === end) return []
  start++
  const segments: string[] = []
  let escaped = false
  for (let i = start; ; i++) {
    const c = i === end ? 47 : path.charCodeAt(i)
    if (c === 37) escaped = true
    if (c !== 47) continue
    if (i === end && i === start) break // a trailing slash leaves no empty segment
    const part = path.slice(start, i)
    if (!escaped) segments.push(part)
    else {
      try {
        const decoded = decodeURIComponent(part)
        if (decoded.includes('\0')) return undefined
        segments.push(decoded)
      } catch {
        return undefined
      }
    }
    if (i === end) break
    start = i + 1
    escaped = false
  }
  return segments
}

/** Split without decoding, for the lenient match that decides whether a malformed path is ours. */
export function splitRaw(path: string): string[] {
  const parts = path.split('/').slice(1)
  if (parts.at(-1) === '') parts.pop()
  return parts
}
