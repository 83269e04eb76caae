/**
 * `NextRequest`: Next's request class. Users may construct one (`new NextRequest(url, init)`),
 * which is an ordinary undici `Request`. Routeware itself builds a *light* one per request:
 * an object on `NextRequest.prototype` whose members read the host request lazily, so a GET
 * that never touches its headers or body pays for neither (a real undici `Request` costs
 * 3-10 µs). It is `instanceof Request`; `new Request(url, request)` and `fetch(request.url,
 * request)` work; `clone()` materializes a real request once.
 */
import type { BodySource, RequestSource } from '../seam.js'
import { NextURL, setUrlTracker } from './next-url.js'
import { RequestCookies } from './request-cookies.js'

/** Called when the handler reads a dynamic input (Next's proxyNextRequest in packages/next/src/server/route-modules/app-route/module.ts); may throw (`dynamic = 'error'`). */
export type DynamicTracker = (what: string) => void

interface LightState {
  source: RequestSource
  /** The router's `bodyLimit`. */
  limit: number
  track: DynamicTracker | undefined
  /** `undefined` until first needed. */
  body: BodySource | null | undefined
  url: string | undefined
  headers: Headers | undefined
  signal: AbortSignal | undefined
  stream: ReadableStream<Uint8Array> | null | undefined
  used: boolean
  real: Request | undefined
}

// Registered symbols: a request made by one installed copy of the package (the adapter's) is read
// by another (`next/server` aliased to it), e.g. to track dynamic usage for the cache.
const kLight = Symbol.for('routeware.lightRequest.v1')
const kNextUrl = Symbol('routeware.nextUrl')
const kCookies = Symbol('routeware.cookies')
/** On a clone of a tracked request: its reads are the original's dynamic use (Next proxies clones alike). */
const kCloneTrack = Symbol('routeware.cloneTrack')
const EMPTY = new Uint8Array(0)

/** Init of `new NextRequest(input, init)`: a `RequestInit`, plus Next's `nextConfig.basePath`. */
export interface NextRequestInit extends RequestInit {
  nextConfig?: { basePath?: string }
}

/** Next's `NextRequest`: a `Request` with `nextUrl` and `cookies`. */
export class NextRequest extends Request {
  declare [kLight]: LightState | undefined
  declare [kNextUrl]: NextURL | undefined
  declare [kCookies]: RequestCookies | undefined
  declare [kCloneTrack]: DynamicTracker | undefined
  declare private basePathInit: string | undefined

  constructor(input: URL | string | Request, init: NextRequestInit = {}) {
    const { nextConfig, ...rest } = init
    if (rest.body != null && (rest as { duplex?: string }).duplex === undefined) (rest as { duplex?: string }).duplex = 'half'
    super(input, rest)
    this.basePathInit = nextConfig?.basePath ?? (input instanceof NextRequest ? input.nextUrl.basePath : undefined)
  }

  /** The URL, with `basePath` (the mount prefix) left out of `pathname`. */
  get nextUrl(): NextURL {
    let url = this[kNextUrl]
    if (url === undefined) {
      const light = this[kLight]
      if (light) {
        url = new NextURL(urlOf(light), { basePath: light.source.basePath })
        if (light.track) setUrlTracker(url, light.track)
      } else {
        // Not through the tracked `url` getter: reading `nextUrl` is not dynamic use, its members are.
        url = new NextURL(baseGet('url').call(this) as string, { basePath: this.basePathInit ?? '' })
        const track = this[kCloneTrack]
        if (track) setUrlTracker(url, track)
      }
      this[kNextUrl] = url
    }
    return url
  }

  /** The request's cookies (Next's RequestCookies). */
  get cookies(): RequestCookies {
    ;(this[kLight] ? this[kLight].track : this[kCloneTrack])?.('request.cookies')
    return (this[kCookies] ??= new RequestCookies(this.headers))
  }

  /** Removed in Next 13; kept so old code fails the same way. */
  get page(): never {
    throw new Error('The request.page has been deprecated in favour of `URLPattern`.\n  Read more: https://nextjs.org/docs/messages/middleware-request-page')
  }
  get ua(): never {
    throw new Error('The request.ua has been removed in favour of `userAgent` function.\n  Read more: https://nextjs.org/docs/messages/middleware-parse-user-agent')
  }
  get [Symbol.toStringTag](): string {
    return 'Request'
  }
}

/** Build the light request for one incoming request. No undici object is created here. */
export function createNextRequest(source: RequestSource, limit: number, track?: DynamicTracker): NextRequest {
  return new LightNextRequest({ source, limit, track, body: undefined, url: undefined, headers: undefined, signal: undefined, stream: undefined, used: false, real: undefined })
}

/**
 * Builds the light requests: objects on `NextRequest.prototype` (so `instanceof`, `constructor`
 * and every member are `NextRequest`'s), made by `new` from one initial map rather than by
 * `Object.create` and a property added afterwards.
 */
const LightNextRequest = function (this: NextRequest, state: LightState) {
  this[kLight] = state
} as unknown as new (state: LightState) => NextRequest
LightNextRequest.prototype = NextRequest.prototype

/** Report a dynamic input read outside the request object (`headers()`, `cookies()`). */
export function trackDynamic(request: NextRequest, what: string): void {
  request[kLight]?.track?.(what)
}

const base = Object.getOwnPropertyDescriptors(Request.prototype)
const baseGet = (name: string) => base[name]!.get!
const baseCall = (name: string) => base[name]!.value as (...args: unknown[]) => unknown
const baseClone = baseCall('clone')

const headersOf = (s: LightState) => (s.headers ??= s.source.headers())
const urlOf = (s: LightState) => (s.url ??= s.source.fullUrl())
/** GET and HEAD bodies are dropped, as Next does (the Fetch API refuses a body on them: packages/next/src/server/base-http/node.ts builds the request without one). */
const bodyOf = (s: LightState): BodySource | null => {
  if (s.body === undefined) {
    const method = s.source.method
    s.body = method === 'GET' || method === 'HEAD' ? null : s.source.body(s.limit)
  }
  return s.body
}

function materialize(s: LightState): Request {
  if (s.real) return s.real
  if (s.used) throw new TypeError('Body is unusable: Body has already been read')
  const source = bodyOf(s)
  const body = s.stream !== undefined ? s.stream : source ? source.stream() : null
  s.real = new Request(urlOf(s), { method: s.source.method, headers: headersOf(s), body, duplex: 'half' } as RequestInit)
  return s.real
}

function bodyStream(s: LightState): ReadableStream<Uint8Array> | null {
  if (s.real) return s.real.body
  if (s.stream === undefined) {
    const source = bodyOf(s)
    s.stream = source && !s.used ? source.stream() : null
  }
  return s.stream
}

async function readAll(s: LightState): Promise<Uint8Array> {
  if (s.real) return new Uint8Array(await s.real.arrayBuffer())
  if (s.used || s.stream?.locked) throw new TypeError('Body is unusable: Body has already been read')
  s.used = true
  if (s.stream !== undefined) return s.stream ? new Uint8Array(await new Response(s.stream).arrayBuffer()) : EMPTY
  const source = bodyOf(s)
  return source ? source.collect() : EMPTY
}

const decoder = new TextDecoder()

/** A body a host parser already read offers json()/formData() from its parsed value. */
function parsedFastPath(s: LightState): BodySource | undefined {
  if (s.real || s.stream !== undefined) return undefined
  const body = bodyOf(s)
  if (!body?.json) return undefined
  if (s.used) throw new TypeError('Body is unusable: Body has already been read')
  s.used = true
  return body
}

/** Members that make a response depend on the request (the ones Next's proxyNextRequest tracks). */
const DYNAMIC = new Set(['url', 'headers', 'body', 'arrayBuffer', 'bytes', 'text', 'json', 'blob', 'formData'])

const lightGetter = (name: string, light: (s: LightState) => unknown): PropertyDescriptor => {
  const fallback = baseGet(name)
  const tracked = DYNAMIC.has(name)
  return {
    configurable: true,
    enumerable: true,
    get(this: NextRequest) {
      const s = this[kLight]
      if (s === undefined) {
        if (tracked) this[kCloneTrack]?.(`request.${name}`)
        return fallback.call(this)
      }
      if (tracked && s.track) s.track(`request.${name}`)
      return light(s)
    },
  }
}
const lightMethod = (name: string, light: (s: LightState, self: NextRequest) => unknown): PropertyDescriptor => {
  const fallback = baseCall(name)
  const tracked = DYNAMIC.has(name)
  return {
    configurable: true,
    writable: true,
    value(this: NextRequest, ...args: unknown[]) {
      const s = this[kLight]
      if (s === undefined) {
        if (tracked) this[kCloneTrack]?.(`request.${name}`)
        return fallback.apply(this, args)
      }
      if (tracked && s.track) s.track(`request.${name}`)
      return light(s, this)
    },
  }
}
const constant = (name: string, value: unknown) => lightGetter(name, () => value)

// Installed once at load time; nothing here runs per request.
Object.defineProperties(NextRequest.prototype, {
  method: lightGetter('method', (s) => s.source.method),
  url: lightGetter('url', urlOf),
  headers: lightGetter('headers', headersOf),
  signal: lightGetter('signal', (s) => (s.signal ??= s.source.signal())),
  body: lightGetter('body', bodyStream),
  bodyUsed: lightGetter('bodyUsed', (s) => (s.real ? s.real.bodyUsed : s.used || (s.stream ? s.stream.locked : false))),
  cache: constant('cache', 'default'),
  credentials: constant('credentials', 'same-origin'),
  destination: constant('destination', ''),
  integrity: constant('integrity', ''),
  keepalive: constant('keepalive', false),
  mode: constant('mode', 'cors'),
  redirect: constant('redirect', 'follow'),
  referrer: constant('referrer', 'about:client'),
  referrerPolicy: constant('referrerPolicy', ''),
  duplex: { configurable: true, enumerable: true, get: () => 'half' },
  arrayBuffer: lightMethod('arrayBuffer', async (s) => {
    const bytes = await readAll(s)
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer
  }),
  bytes: lightMethod('bytes', async (s) => new Uint8Array(await readAll(s))),
  text: lightMethod('text', async (s) => decoder.decode(await readAll(s))),
  json: lightMethod('json', async (s) => {
    const parsed = parsedFastPath(s)
    return parsed?.json ? parsed.json() : JSON.parse(decoder.decode(await readAll(s)))
  }),
  blob: lightMethod('blob', async (s) => new Blob([await readAll(s)], { type: headersOf(s).get('content-type') ?? '' })),
  formData: lightMethod('formData', async (s) => {
    // undici's own multipart and urlencoded parser.
    const parsed = parsedFastPath(s)
    if (parsed?.formData) return parsed.formData()
    const type = headersOf(s).get('content-type') ?? ''
    return new Response(await readAll(s), { headers: { 'content-type': type } }).formData()
  }),
  // A clone reports its reads to the original's tracker, as Next's proxied clone does
  // (packages/next/src/server/route-modules/app-route/module.ts, `proxyNextRequest`).
  clone: {
    configurable: true,
    writable: true,
    value(this: NextRequest) {
      const s = this[kLight]
      const track = s ? s.track : this[kCloneTrack]
      if (s === undefined && track === undefined) return baseClone.call(this)
      const real = s ? materialize(s).clone() : (baseClone.call(this) as Request)
      const copy = new NextRequest(real, { nextConfig: { basePath: s ? s.source.basePath : this.nextUrl.basePath } })
      Object.defineProperty(copy, 'signal', { value: this.signal })
      if (track) copy[kCloneTrack] = track
      return copy
    },
  },
})
