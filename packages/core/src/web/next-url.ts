/** `NextURL`: a URL that knows the mount prefix (`basePath`) and leaves it out of `pathname`. */

const kUrl = Symbol('routeware.url')
const kBasePath = Symbol('routeware.basePath')
const kTrack = Symbol('routeware.track')

/**
 * Report reads of the members that depend on the request: those Next tracks (search,
 * searchParams, href, origin, toString, toJSON: packages/next/src/server/route-modules/app-route/module.ts,
 * `proxyNextRequest`), plus the origin's parts (`ORIGIN_READS`). A clone reports to the same tracker.
 */
export function setUrlTracker(url: NextURL, track: (what: string) => void): void {
  ;(url as unknown as Record<symbol, unknown>)[kTrack] = track
}
function track(url: NextURL, what: string): void {
  ;((url as unknown as Record<symbol, ((what: string) => void) | undefined>)[kTrack])?.(`nextUrl.${what}`)
}

/**
 * Reads of the origin's parts. Next does not track them: its URL carries the server's own host
 * (packages/next/src/server/next-server.ts, `attachRequestMeta`), ours the one the client sent (or
 * X-Forwarded-Host under trust proxy). A tracker ignores them when the origin is a fixed one.
 */
export const ORIGIN_READS: ReadonlySet<string> = new Set(['nextUrl.host', 'nextUrl.hostname', 'nextUrl.port', 'nextUrl.protocol'])

/** Options Routeware passes when it builds the URL of a request served under a prefix. */
export interface NextURLOptions {
  basePath?: string
}

/**
 * Next's `request.nextUrl`. `pathname` is the path below `basePath`; `href`, `toString()` and
 * `origin`-relative members put the prefix back, so `href` is always the URL the client asked for.
 */
export class NextURL {
  private [kUrl]: URL
  private [kBasePath]: string

  constructor(input: string | URL, base?: string | URL | NextURLOptions, options?: NextURLOptions) {
    let baseUrl: string | URL | undefined
    let opts: NextURLOptions | undefined
    if (base !== undefined && typeof base === 'object' && !(base instanceof URL)) opts = base
    else {
      baseUrl = base as string | URL | undefined
      opts = options
    }
    const url = new URL(String(input), baseUrl === undefined ? undefined : String(baseUrl))
    const basePath = opts?.basePath ?? ''
    if (basePath && (url.pathname === basePath || url.pathname.startsWith(basePath + '/'))) {
      url.pathname = url.pathname.slice(basePath.length) || '/'
    }
    this[kUrl] = url
    this[kBasePath] = basePath
  }

  /** The mount prefix (`''` at the root). */
  get basePath(): string {
    return this[kBasePath]
  }
  set basePath(value: string) {
    this[kBasePath] = value
  }
  get buildId(): string | undefined {
    return undefined
  }
  get locale(): string {
    return ''
  }
  get defaultLocale(): string | undefined {
    return undefined
  }
  get href(): string {
    track(this, 'href')
    return this.#href()
  }
  #href(): string {
    const url = this[kUrl]
    const pathname = this[kBasePath] ? this[kBasePath] + (url.pathname === '/' ? '' : url.pathname) : url.pathname
    const auth = url.username ? `${url.username}${url.password ? ':' + url.password : ''}@` : ''
    return `${url.protocol}//${auth}${url.host}${pathname}${url.search}${url.hash}`
  }
  set href(value: string) {
    const next = new NextURL(value, { basePath: this[kBasePath] })
    this[kUrl] = next[kUrl]
  }
  get origin(): string {
    track(this, 'origin')
    return this[kUrl].origin
  }
  get protocol(): string {
    track(this, 'protocol')
    return this[kUrl].protocol
  }
  set protocol(value: string) {
    this[kUrl].protocol = value
  }
  get host(): string {
    track(this, 'host')
    return this[kUrl].host
  }
  set host(value: string) {
    this[kUrl].host = value
  }
  get hostname(): string {
    track(this, 'hostname')
    return this[kUrl].hostname
  }
  set hostname(value: string) {
    this[kUrl].hostname = value
  }
  get port(): string {
    track(this, 'port')
    return this[kUrl].port
  }
  set port(value: string) {
    this[kUrl].port = value
  }
  get pathname(): string {
    return this[kUrl].pathname
  }
  set pathname(value: string) {
    this[kUrl].pathname = value
  }
  get search(): string {
    track(this, 'search')
    return this[kUrl].search
  }
  set search(value: string) {
    this[kUrl].search = value
  }
  get searchParams(): URLSearchParams {
    track(this, 'searchParams')
    return this[kUrl].searchParams
  }
  get hash(): string {
    return this[kUrl].hash
  }
  set hash(value: string) {
    this[kUrl].hash = value
  }
  get username(): string {
    return this[kUrl].username
  }
  set username(value: string) {
    this[kUrl].username = value
  }
  get password(): string {
    return this[kUrl].password
  }
  set password(value: string) {
    this[kUrl].password = value
  }
  toString(): string {
    track(this, 'toString')
    return this.#href()
  }
  toJSON(): string {
    track(this, 'toJSON')
    return this.#href()
  }
  /** A copy, keeping `basePath` and reporting its reads to the same tracker (as Next's proxied clone). */
  clone(): NextURL {
    const copy = new NextURL(this.#href(), { basePath: this[kBasePath] })
    const tracker = (this as unknown as Record<symbol, ((what: string) => void) | undefined>)[kTrack]
    if (tracker) setUrlTracker(copy, tracker)
    return copy
  }
  get [Symbol.toStringTag](): string {
    return 'NextURL'
  }
}
