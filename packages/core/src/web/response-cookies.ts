/**
 * `NextResponse#cookies` and the serializer behind `cookies()`: Next's ResponseCookies
 * (vercel/edge-runtime `@edge-runtime/cookies`), one entry per name, one `Set-Cookie` line each.
 */
import { quoted } from './outgoing-headers.js'

/** A cookie with its attributes, as Next's ResponseCookies takes and returns it. */
export interface ResponseCookie {
  name: string
  value: string
  path?: string
  domain?: string
  expires?: Date | number | string
  maxAge?: number
  secure?: boolean
  httpOnly?: boolean
  sameSite?: 'lax' | 'strict' | 'none' | boolean
  partitioned?: boolean
  priority?: 'low' | 'medium' | 'high'
}

// What `cookie.serialize` refuses (jshttp/cookie src/index.ts, RFC 6265 §4.1.1): a name with a
// space, ";", "=", a control character or a non-ASCII one, a domain that is not a host name, a
// path with ";" or a control character. Each would otherwise let request input add attributes
// (`path: '/; Domain=evil.example'`) or lines.
const COOKIE_NAME = /^[\u0021-\u003A\u003C\u003E-\u007E]+$/
const COOKIE_DOMAIN = /^([.]?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)([.][a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i
const COOKIE_PATH = /^[\u0020-\u003A\u003D-\u007E]*$/
const SAME_SITE = /^(lax|strict|none)$/i
const PRIORITY = /^(low|medium|high)$/i

function refused(c: ResponseCookie, what: string): TypeError {
  const label = typeof c.name === 'string' ? quoted(c.name) : String(c.name)
  return new TypeError(`The cookie ${label} was not set: its ${what} is not one a Set-Cookie line can carry (RFC 6265 §4.1.1: no ";", no control characters), so request input could add attributes through it.`)
}

/** Throw (naming the cookie) for a name, domain, path, SameSite or Priority that `cookie.serialize` would refuse. */
export function checkCookie(c: ResponseCookie): void {
  if (typeof c.name !== 'string' || !COOKIE_NAME.test(c.name)) throw refused(c, 'name')
  if (c.domain && !COOKIE_DOMAIN.test(String(c.domain))) throw refused(c, `domain ${quoted(String(c.domain))}`)
  if (c.path && !COOKIE_PATH.test(String(c.path))) throw refused(c, `path ${quoted(String(c.path))}`)
  if (typeof c.sameSite === 'string' && !SAME_SITE.test(c.sameSite)) throw refused(c, `SameSite ${quoted(c.sameSite)}`)
  if (c.priority && !PRIORITY.test(String(c.priority))) throw refused(c, `Priority ${quoted(String(c.priority))}`)
}

/**
 * Serialize in Next's attribute order: Path, Expires, Max-Age, Domain, Secure, HttpOnly, SameSite,
 * Partitioned, Priority. Throws for what `checkCookie` refuses; the value is percent-encoded.
 */
export function serializeCookie(c: ResponseCookie): string {
  checkCookie(c)
  const attrs: string[] = []
  if (c.path) attrs.push(`Path=${c.path}`)
  if (c.expires || c.expires === 0) attrs.push(`Expires=${(c.expires instanceof Date ? c.expires : new Date(c.expires)).toUTCString()}`)
  if (typeof c.maxAge === 'number') attrs.push(`Max-Age=${c.maxAge}`)
  if (c.domain) attrs.push(`Domain=${c.domain}`)
  if (c.secure) attrs.push('Secure')
  if (c.httpOnly) attrs.push('HttpOnly')
  if (c.sameSite) attrs.push(`SameSite=${c.sameSite}`)
  if (c.partitioned) attrs.push('Partitioned')
  if (c.priority) attrs.push(`Priority=${c.priority}`)
  const pair = `${c.name}=${encodeURIComponent(c.value ?? '')}`
  return attrs.length === 0 ? pair : `${pair}; ${attrs.join('; ')}`
}

/**
 * Fill what Next fills: `Path=/` by default, `Expires` from `maxAge`. Throws for what
 * `checkCookie` refuses, so `cookies().set()` and `response.cookies.set()` fail at the call.
 */
export function normalizeCookie(cookie: ResponseCookie): ResponseCookie {
  const out = { ...cookie }
  if (typeof out.expires === 'number') out.expires = new Date(out.expires)
  if (out.maxAge) out.expires = new Date(Date.now() + out.maxAge * 1000)
  if (out.path === null || out.path === undefined) out.path = '/'
  checkCookie(out)
  return out
}

function splitPairs(text: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const pair of text.split(/; */)) {
    if (!pair) continue
    const at = pair.indexOf('=')
    if (at === -1) {
      map.set(pair, 'true')
      continue
    }
    try {
      map.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)))
    } catch {
      map.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
  return map
}

/** Parse one `Set-Cookie` line. */
export function parseSetCookie(line: string): ResponseCookie | undefined {
  if (!line) return undefined
  const entries = [...splitPairs(line)]
  const first = entries.shift()
  if (!first) return undefined
  const [name, value] = first
  const attrs = new Map(entries.map(([k, v]) => [k.toLowerCase().replace(/-/g, ''), v]))
  const cookie: ResponseCookie = { name, value }
  if (attrs.has('domain')) cookie.domain = attrs.get('domain')
  if (attrs.has('expires')) cookie.expires = new Date(attrs.get('expires')!)
  if (attrs.has('httponly')) cookie.httpOnly = true
  if (attrs.has('maxage')) cookie.maxAge = Number(attrs.get('maxage'))
  if (attrs.has('path')) cookie.path = attrs.get('path')
  const sameSite = attrs.get('samesite')?.toLowerCase()
  if (sameSite === 'lax' || sameSite === 'strict' || sameSite === 'none') cookie.sameSite = sameSite
  if (attrs.has('secure')) cookie.secure = true
  const priority = attrs.get('priority')?.toLowerCase()
  if (priority === 'low' || priority === 'medium' || priority === 'high') cookie.priority = priority
  if (attrs.has('partitioned')) cookie.partitioned = true
  return cookie
}

/** get/getAll/has/set/delete over a response's `Set-Cookie` headers, rewritten on every change. */
export class ResponseCookies {
  readonly #headers: Headers
  readonly #parsed = new Map<string, ResponseCookie>()

  constructor(responseHeaders: Headers) {
    this.#headers = responseHeaders
    for (const line of responseHeaders.getSetCookie()) {
      const cookie = parseSetCookie(line)
      if (cookie) this.#parsed.set(cookie.name, cookie)
    }
  }

  get(...args: [name: string] | [ResponseCookie]): ResponseCookie | undefined {
    return this.#parsed.get(typeof args[0] === 'string' ? args[0] : args[0].name)
  }
  getAll(...args: [name: string] | [ResponseCookie] | []): ResponseCookie[] {
    const all = [...this.#parsed.values()]
    if (args.length === 0) return all
    const name = typeof args[0] === 'string' ? args[0] : args[0].name
    return all.filter((c) => c.name === name)
  }
  has(name: string): boolean {
    return this.#parsed.has(name)
  }
  set(...args: [name: string, value: string, cookie?: Partial<ResponseCookie>] | [ResponseCookie]): this {
    const [name, value, rest] = args.length === 1 ? [args[0].name, args[0].value, args[0]] : args
    this.#parsed.set(name, normalizeCookie({ ...rest, name, value }))
    this.#write()
    return this
  }
  delete(...args: [name: string] | [Omit<ResponseCookie, 'value' | 'expires'>]): this {
    const [name, options] = typeof args[0] === 'string' ? [args[0], undefined] : [args[0].name, args[0]]
    return this.set({ ...options, name, value: '', expires: new Date(0) })
  }
  toString(): string {
    return [...this.#parsed.values()].map(serializeCookie).join('; ')
  }
  [Symbol.iterator](): IterableIterator<[string, ResponseCookie]> {
    return this.#parsed.entries()
  }
  get size(): number {
    return this.#parsed.size
  }

  #write(): void {
    this.#headers.delete('set-cookie')
    for (const cookie of this.#parsed.values()) this.#headers.append('set-cookie', serializeCookie(cookie))
  }
}
