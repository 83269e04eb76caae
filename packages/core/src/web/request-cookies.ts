/** `request.cookies`: Next's RequestCookies, a live view over the request's `cookie` header. */
import { parse } from 'cookie'

/** One cookie as Next's RequestCookies returns it. */
export interface RequestCookie {
  name: string
  value: string
}

/** get/getAll/has/set/delete/clear over the `cookie` header of the request's own Headers. */
export class RequestCookies {
  readonly #headers: Headers
  #parsed: Map<string, RequestCookie> | undefined
  #source: string | null | undefined

  constructor(requestHeaders: Headers) {
    this.#headers = requestHeaders
  }

  #map(): Map<string, RequestCookie> {
    const header = this.#headers.get('cookie')
    if (this.#parsed === undefined || header !== this.#source) {
      this.#source = header
      this.#parsed = new Map()
      if (header) {
        const values = parse(header)
        for (const name of Object.keys(values)) this.#parsed.set(name, { name, value: values[name] ?? '' })
      }
    }
    return this.#parsed
  }

  #write(map: Map<string, RequestCookie>): void {
    const header = [...map.values()].map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join('; ')
    if (header) this.#headers.set('cookie', header)
    else this.#headers.delete('cookie')
    this.#parsed = map
    this.#source = this.#headers.get('cookie')
  }

  get size(): number {
    return this.#map().size
  }
  get(...args: [name: string] | [RequestCookie]): RequestCookie | undefined {
    const name = typeof args[0] === 'string' ? args[0] : args[0].name
    return this.#map().get(name)
  }
  getAll(...args: [name: string] | [RequestCookie] | []): RequestCookie[] {
    const all = [...this.#map().values()]
    if (args.length === 0) return all
    const name = typeof args[0] === 'string' ? args[0] : args[0].name
    return all.filter((c) => c.name === name)
  }
  has(name: string): boolean {
    return this.#map().has(name)
  }
  set(...args: [name: string, value: string] | [RequestCookie]): this {
    const [name, value] = args.length === 1 ? [args[0].name, args[0].value] : args
    const map = new Map(this.#map())
    map.set(name, { name, value })
    this.#write(map)
    return this
  }
  delete(names: string | string[]): boolean | boolean[] {
    const map = new Map(this.#map())
    const result = Array.isArray(names) ? names.map((n) => map.delete(n)) : map.delete(names)
    this.#write(map)
    return result
  }
  clear(): this {
    this.#write(new Map())
    return this
  }
  [Symbol.iterator](): IterableIterator<[string, RequestCookie]> {
    return this.#map().entries()
  }
  toString(): string {
    return [...this.#map().values()].map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join('; ')
  }
}
