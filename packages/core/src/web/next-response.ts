/**
 * `NextResponse`: Next's response class. `new NextResponse(...)` is an ordinary undici
 * `Response`. `NextResponse.json()` and `NextResponse.redirect()` build a *light* one: an object
 * on `NextResponse.prototype` that keeps the string it was given, so the writer sends it in one
 * write without any stream (undici's `Response.json` costs about a whole plain-Fastify request
 * on Node 20). It is `instanceof Response` and every member works; the stream, the `Headers`
 * and the bytes are built only when someone asks for them.
 */
import type { NextURL } from './next-url.js'
import { ResponseCookies } from './response-cookies.js'
import { isValidReasonPhrase } from './outgoing-headers.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const kCookies = Symbol('routeware.responseCookies')
// Registered: a light response built by `next/server` (an aliased copy) keeps the adapter's fast path.
const kLight = Symbol.for('routeware.lightResponse.v1')

/** What a light response holds until someone asks for more. */
export interface LightResponseState {
  status: number
  statusText: string
  /** The headers as given; `undefined` with `defaultType` alone means just a content-type. */
  init: ConstructorParameters<typeof Headers>[0] | undefined
  defaultType: string | undefined
  headers: Headers | undefined
  body: string | null
  stream: ReadableStream<Uint8Array> | null | undefined
  used: boolean
}

/** Next's `NextResponse`: `json()`, `redirect()`, `cookies`, and the middleware-only `next()`/`rewrite()`. */
export class NextResponse<Body = unknown> extends Response {
  declare private readonly __body?: Body
  declare private [kCookies]: ResponseCookies | undefined
  declare [kLight]: LightResponseState | undefined

  /** The response's cookies: set/delete write one `Set-Cookie` line per cookie. */
  get cookies(): ResponseCookies {
    return (this[kCookies] ??= new ResponseCookies(this.headers))
  }

  /** A JSON response with `content-type: application/json` (unless `init.headers` sets one). */
  static override json<JsonBody>(body: JsonBody, init?: ResponseInit): NextResponse<JsonBody> {
    const text = JSON.stringify(body)
    if (text === undefined) throw new TypeError('Value is not JSON serializable')
    return createLight(text, init, 'application/json') as NextResponse<JsonBody>
  }

  /** A redirect to an absolute URL; 307 unless a redirect status is given. */
  static override redirect(url: string | NextURL | URL, init?: number | ResponseInit): NextResponse {
    const status = typeof init === 'number' ? init : (init?.status ?? 307)
    if (!REDIRECTS.has(status)) throw new RangeError('Failed to execute "redirect" on "response": Invalid status code')
    const headers = new Headers(typeof init === 'object' ? init.headers : undefined)
    headers.set('location', validateUrl(url))
    return createLight(null, { ...(typeof init === 'object' ? init : {}), status, headers }, undefined)
  }

  /**
   * Proxy only: serve `destination` instead (same origin: from the route tree; another origin:
   * fetched). `init.request.headers` replaces the request headers the route sees. A route handler
   * that returns it answers 500, as in Next.
   */
  static rewrite(destination: string | NextURL | URL, init?: MiddlewareResponseInit): NextResponse {
    const headers = new Headers(init?.headers)
    headers.set('x-middleware-rewrite', validateUrl(destination))
    handleMiddlewareField(init, headers)
    return createLight(null, { ...init, headers }, undefined)
  }

  /**
   * Proxy only: go on to the route. `init.request.headers` replaces the request headers the route
   * sees; headers and cookies set on this response are added to the final one. A route handler
   * that returns it answers 500, as in Next.
   */
  static next(init?: MiddlewareResponseInit): NextResponse {
    // The common `return NextResponse.next()`: no Headers built unless someone adds to them.
    if (init === undefined) return createLight(null, { headers: NEXT_ONLY as [string, string][] }, undefined)
    const headers = new Headers(init?.headers)
    headers.set('x-middleware-next', '1')
    handleMiddlewareField(init, headers)
    return createLight(null, { ...init, headers }, undefined)
  }
}

/** The header list of a bare `NextResponse.next()`, shared and never changed (a `Headers` copies it when asked). */
const NEXT_ONLY: ReadonlyArray<[string, string]> = Object.freeze([Object.freeze(['x-middleware-next', '1']) as [string, string]])

/** True for a bare `NextResponse.next()` nobody added a header to: the proxy stage's fast path. */
export function isBareNext(response: Response): boolean {
  const s = (response as NextResponse)[kLight]
  return s !== undefined && (s.init as unknown) === NEXT_ONLY && s.headers === undefined
}

/** `next()` / `rewrite()` options: a `ResponseInit`, plus the request headers the route is to see. */
export interface MiddlewareResponseInit extends ResponseInit {
  request?: { headers?: Headers }
}

/**
 * The request headers as Next carries them from the proxy (packages/next/src/server/web/spec-extension/response.ts,
 * `handleMiddlewareField`): `x-middleware-override-headers` lists every name the route gets,
 * `x-middleware-request-<name>` holds each value. Never sent to the client.
 */
function handleMiddlewareField(init: MiddlewareResponseInit | undefined, headers: Headers): void {
  if (!init?.request?.headers) return
  if (!(init.request.headers instanceof Headers)) throw new Error('request.headers must be an instance of Headers')
  const keys: string[] = []
  for (const [key, value] of init.request.headers) {
    headers.set(`x-middleware-request-${key}`, value)
    keys.push(key)
  }
  headers.set('x-middleware-override-headers', keys.join(','))
}

function createLight(body: string | null, init: ResponseInit | undefined, defaultType: string | undefined): NextResponse {
  const status = init?.status ?? 200
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`init["status"] must be in the range of 200 to 599, inclusive.`)
  }
  // As undici's Response constructor (lib/web/fetch/response.js, initializeResponse): a status
  // text outside the reason-phrase production (RFC 9112 §4) is a TypeError at construction.
  let statusText = ''
  if (init?.statusText !== undefined && init.statusText !== null) {
    statusText = String(init.statusText)
    if (!isValidReasonPhrase(statusText)) throw new TypeError('Invalid statusText')
  }
  const headers = init?.headers instanceof Headers ? init.headers : undefined
  const response = new LightNextResponse({
    status,
    statusText,
    init: headers ? undefined : init?.headers,
    defaultType,
    headers,
    body,
    stream: undefined,
    used: false,
  })
  if (headers && defaultType && !headers.has('content-type')) headers.set('content-type', defaultType)
  return response
}

/** Builds the light responses: objects on `NextResponse.prototype`, made by `new` from one initial map (see `LightNextRequest`). */
const LightNextResponse = function (this: NextResponse, state: LightResponseState) {
  this[kLight] = state
} as unknown as new (state: LightResponseState) => NextResponse
LightNextResponse.prototype = NextResponse.prototype

/** The state of a light response, or `undefined` for any other Response. */
export function lightResponseState(response: Response): LightResponseState | undefined {
  return (response as NextResponse)[kLight]
}

const JSON_ONLY = Object.freeze([Object.freeze(['content-type', 'application/json'])]) as Array<[string, string]>

/** The header entries of a light response, building a `Headers` only when the handler gave some. */
export function lightHeaderEntries(s: LightResponseState): Array<[string, string]> {
  // `NextResponse.json()` without headers: one shared, frozen list (writers and stages copy, never change, a header list).
  if (!s.headers && s.init === undefined) return s.defaultType === 'application/json' ? JSON_ONLY : s.defaultType ? [['content-type', s.defaultType]] : []
  const out: Array<[string, string]> = []
  for (const entry of headersOf(s)) out.push(entry)
  return out
}

function headersOf(s: LightResponseState): Headers {
  if (!s.headers) {
    s.headers = new Headers(s.init)
    if (s.defaultType && !s.headers.has('content-type')) s.headers.set('content-type', s.defaultType)
  }
  return s.headers
}

function validateUrl(url: string | NextURL | URL): string {
  try {
    return String(new URL(String(url)))
  } catch (error) {
    throw new Error(`URL is malformed "${String(url)}". Please use only absolute URLs - https://nextjs.org/docs/messages/middleware-relative-urls`, { cause: error })
  }
}

const encoder = new TextEncoder()
const base = Object.getOwnPropertyDescriptors(Response.prototype)

function take(s: LightResponseState): string {
  if (s.used || s.stream?.locked) throw new TypeError('Body is unusable: Body has already been read')
  s.used = true
  return s.body ?? ''
}
async function readText(s: LightResponseState): Promise<string> {
  if (s.stream !== undefined && s.stream !== null) {
    if (s.used || s.stream.locked) throw new TypeError('Body is unusable: Body has already been read')
    s.used = true
    return new Response(s.stream).text()
  }
  return take(s)
}

const getter = (name: string, light: (s: LightResponseState) => unknown): PropertyDescriptor => {
  const fallback = base[name]!.get!
  return {
    configurable: true,
    enumerable: true,
    get(this: NextResponse) {
      const s = this[kLight]
      return s === undefined ? fallback.call(this) : light(s)
    },
  }
}
const method = (name: string, light: (s: LightResponseState) => unknown): PropertyDescriptor => {
  const fallback = base[name]!.value as (...args: unknown[]) => unknown
  return {
    configurable: true,
    writable: true,
    value(this: NextResponse, ...args: unknown[]) {
      const s = this[kLight]
      return s === undefined ? fallback.apply(this, args) : light(s)
    },
  }
}

// Installed once at load time; nothing here runs per response.
Object.defineProperties(NextResponse.prototype, {
  status: getter('status', (s) => s.status),
  statusText: getter('statusText', (s) => s.statusText),
  ok: getter('ok', (s) => s.status >= 200 && s.status < 300),
  headers: getter('headers', headersOf),
  redirected: getter('redirected', () => false),
  type: getter('type', () => 'default'),
  url: getter('url', () => ''),
  bodyUsed: getter('bodyUsed', (s) => s.used || (s.stream ? s.stream.locked : false)),
  body: getter('body', (s) => {
    if (s.stream === undefined) {
      const text = s.body
      s.stream =
        text === null || s.used
          ? null
          : new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(encoder.encode(text))
                controller.close()
              },
            })
    }
    return s.stream
  }),
  text: method('text', (s) => readText(s)),
  json: method('json', async (s) => JSON.parse(await readText(s))),
  arrayBuffer: method('arrayBuffer', async (s) => encoder.encode(await readText(s)).buffer),
  bytes: method('bytes', async (s) => encoder.encode(await readText(s))),
  blob: method('blob', async (s) => new Blob([await readText(s)], { type: headersOf(s).get('content-type') ?? '' })),
  formData: method('formData', async (s) => new Response(await readText(s), { headers: headersOf(s) }).formData()),
  clone: method('clone', (s) => {
    if (s.used || s.stream?.locked) throw new TypeError('Response.clone: Body has already been consumed.')
    const copy = createLight(s.body, { status: s.status, statusText: s.statusText, headers: new Headers(headersOf(s)) }, undefined)
    if (s.stream) {
      const [a, b] = s.stream.tee()
      s.stream = a
      lightResponseState(copy)!.stream = b
    }
    return copy
  }),
})
