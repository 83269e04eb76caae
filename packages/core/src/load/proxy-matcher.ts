/**
 * `config.matcher` of `proxy.ts`, compiled once at load as Next compiles it: path-to-regexp 6
 * (the version Next vendors) `parse` + `tokensToRegexp`, Next's `.json` suffix, and the source of
 * the regular expression used without its `i` flag, so matching is case-sensitive as in Next
 * (packages/next/src/build/analysis/get-page-static-info.ts `getMiddlewareMatchers`,
 * packages/next/src/lib/try-to-parse-path.ts, and
 * packages/next/src/shared/lib/router/utils/middleware-route-matcher.ts). `has` / `missing`
 * follow `matchHas` (packages/next/src/shared/lib/router/utils/prepare-destination.ts).
 */
import { parse as parseCookie } from 'cookie'
import { parse, tokensToRegexp } from 'path-to-regexp'

/** One condition of `has` / `missing`, as in `next.config` rewrites. */
export interface RouteHas {
  type: 'header' | 'cookie' | 'query' | 'host'
  key?: string
  value?: string
}

/** A matcher as written in `config.matcher`. */
export type MatcherInput = string | { source: string; has?: RouteHas[]; missing?: RouteHas[]; locale?: false }

/** One compiled matcher: the path pattern and its conditions. */
export interface CompiledMatcher {
  /** As written (`/api/:path*`). */
  readonly source: string
  readonly regexp: RegExp
  readonly has: readonly CompiledCondition[] | undefined
  readonly missing: readonly CompiledCondition[] | undefined
}

/** One condition, compiled; `text` is how `routeware routes` shows it (`header x-flag=(on|yes)`). */
interface CompiledCondition {
  readonly text: string
  readonly type: RouteHas['type']
  readonly key: string
  /** `^value$`, or `undefined`: present is enough. */
  readonly value: RegExp | undefined
}

/** What a condition reads from the request, only when a matcher has conditions. */
export interface ConditionSource {
  header(name: string): string | undefined
  /** The raw query string, without `?`. */
  query(): string
  /** The `Host` header. */
  host(): string | undefined
}

const CONDITION_TYPES = new Set(['header', 'cookie', 'query', 'host'])

/**
 * Compile `config.matcher` (a string, an array of strings and `{ source, has, missing }`).
 * Throws an `Error` saying which matcher is wrong and why; the caller names the file.
 */
export function compileMatchers(input: unknown): CompiledMatcher[] {
  const list = Array.isArray(input) ? input : [input]
  if (list.length === 0) throw new Error('`config.matcher` is an empty array: give at least one path, or leave `matcher` out to run the proxy for every path')
  return list.map((entry, i) => compileOne(entry, list.length > 1 ? `config.matcher[${i}]` : 'config.matcher'))
}

function compileOne(entry: unknown, where: string): CompiledMatcher {
  const matcher = typeof entry === 'string' ? { source: entry } : entry
  if (matcher === null || typeof matcher !== 'object' || typeof (matcher as { source?: unknown }).source !== 'string') {
    throw new Error(`${where} must be a path string such as "/api/:path*" or an object { source, has?, missing? }; got ${describe(entry)}`)
  }
  const { source, has, missing } = matcher as { source: string; has?: unknown; missing?: unknown }
  if (!source.startsWith('/')) throw new Error(`${where}: the source "${source}" must start with "/"`)
  if (source.length > 4096) throw new Error(`${where}: the source is longer than 4096 characters`)
  const isRoot = source === '/'
  // Next appends these so `/about` also matches its `.json` data path (and `/` its index).
  const full = `${source}${isRoot ? '(/?index|/?index\\.json)?' : '{(\\.json)}?'}`
  let regexp: RegExp
  try {
    regexp = new RegExp(tokensToRegexp(parse(full)).source)
  } catch (error) {
    throw new Error(`${where}: the source "${source}" is not a valid path pattern: ${(error as Error).message}`)
  }
  return { source, regexp, has: conditions(has, `${where}.has`), missing: conditions(missing, `${where}.missing`) }
}

function conditions(input: unknown, where: string): CompiledCondition[] | undefined {
  if (input === undefined) return undefined
  if (!Array.isArray(input)) throw new Error(`${where} must be an array of { type, key, value? }; got ${describe(input)}`)
  if (input.length === 0) return undefined
  return input.map((item: unknown, i) => {
    const c = item as Partial<RouteHas> | null
    const at = `${where}[${i}]`
    if (c === null || typeof c !== 'object' || !CONDITION_TYPES.has(c.type as string)) {
      throw new Error(`${at}.type must be "header", "cookie", "query" or "host"; got ${describe(c?.type)}`)
    }
    if (c.type !== 'host' && (typeof c.key !== 'string' || c.key === '')) throw new Error(`${at}.key must be a non-empty string`)
    if (c.value !== undefined && typeof c.value !== 'string') throw new Error(`${at}.value must be a string (a regular expression)`)
    let value: RegExp | undefined
    if (c.value !== undefined && c.value !== '') {
      try {
        value = new RegExp(`^${c.value}$`)
      } catch (error) {
        throw new Error(`${at}.value is not a valid regular expression: ${(error as Error).message}`)
      }
    }
    const key = c.type === 'header' ? c.key!.toLowerCase() : (c.key ?? '')
    return { type: c.type!, key, value, text: `${c.type}${key ? ` ${key}` : ''}${c.value ? `=${c.value}` : ''}` }
  })
}

const describe = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value)

/** A matcher as `routeware routes` prints it: `/flag has header x-flag=(on|yes) missing cookie no-proxy`. */
export function describeMatcher(m: CompiledMatcher): string {
  const parts = [m.source]
  if (m.has) parts.push(`has ${m.has.map((c) => c.text).join(', ')}`)
  if (m.missing) parts.push(`missing ${m.missing.map((c) => c.text).join(', ')}`)
  return parts.join('  ')
}

/** Whether one of `matchers` matches `path` (below the mount prefix, still percent-encoded); `conditions` reads `request` for `has` / `missing`. */
export function matchesAny<R>(matchers: readonly CompiledMatcher[], path: string, request: R, conditions: (request: R) => ConditionSource): boolean {
  for (const m of matchers) {
    if (!m.regexp.test(path)) continue
    if (m.has === undefined && m.missing === undefined) return true
    // Built only for a matcher with conditions whose path matched.
    if (conditionsPass(m, conditions(request))) return true
  }
  return false
}

function conditionsPass(m: CompiledMatcher, request: ConditionSource): boolean {
  let cookies: Record<string, string | undefined> | undefined
  let query: URLSearchParams | undefined
  const holds = (c: CompiledCondition): boolean => {
    let value: string | undefined
    switch (c.type) {
      case 'header':
        value = request.header(c.key)
        break
      case 'cookie':
        cookies ??= parseCookie(request.header('cookie') ?? '')
        value = cookies[c.key]
        break
      case 'query': {
        query ??= new URLSearchParams(request.query())
        // As Next's parsed query: a repeated key is an array, and its last value is tested.
        const all = query.getAll(c.key)
        value = all.length === 0 ? undefined : all[all.length - 1]
        break
      }
      case 'host':
        value = request.host()?.split(':', 1)[0]!.toLowerCase()
        break
    }
    if (!value) return false
    return c.value === undefined || c.value.test(value)
  }
  return (m.has ?? []).every(holds) && !(m.missing ?? []).some(holds)
}
