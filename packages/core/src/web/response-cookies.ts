/**
 * `NextResponse#cookies` and the serializer behind `cookies()`: Next's ResponseCookies
 * (vercel/edge-runtime `@edge-runtime/cookies`), one entry per name, one `Set-Cookie` line each.
 */

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

/** Serialize in Next's attribute order: Path, Expires, Max-Age, Domain, Secure, HttpOnly, SameSite, Partitioned, Priority. */
export function serializeCookie(c: ResponseCookie): string {
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

/** Fill what Next fills: `Path=/` by default, `Expires` from `maxAge`. */
export function normalizeCookie(cookie: ResponseCookie): ResponseCookie {
  const out = { ...cookie }
  if (typeof out.expires === 'number') out.expires = new Date(out.expires)
  if (out.maxAge) out.expires = new Date(Date.now() + out.maxAge * 1000)
  if (out.path === null || out.path === undefined) out.path = '/'
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
