/**
 * Stage 2, the proxy: `proxy.ts` (or `middleware.ts`) runs once for a request whose path below
 * the mount prefix its `config.matcher` matches, before the route match, as Next runs it
 * (packages/next/src/server/web/adapter.ts, packages/next/src/server/lib/router-utils/resolve-routes.ts).
 * What it returns: nothing or `NextResponse.next()` goes on (request headers replaced, response
 * headers kept for the final answer); `NextResponse.rewrite()` goes on at another URL (same
 * origin) or is fetched (another origin); any other `Response` is the answer. No `x-middleware-*`
 * field reaches the client.
 */
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import { waitUntilFor } from '../lifecycle/after.js'
import type { LoadedProxy } from '../load/load-proxy.js'
import { matchesAny, type ConditionSource } from '../load/proxy-matcher.js'
import type { Logger, ResolvedRoutesOptions } from '../options.js'
import type { RunLink } from '../scope/request-scope.js'
import { isRoutewareError } from '../errors.js'
import { emptyOutgoing, type HostRequest, type Outgoing } from '../seam.js'
import { NextFetchEvent } from '../web/fetch-event.js'
import { createNextRequest } from '../web/next-request.js'
import { isBareNext } from '../web/next-response.js'
import { toOutgoing } from '../web/outgoing.js'
import { isResponseLike } from './outcome.js'
import { fetchRewrite } from './proxy-fetch.js'
import { BodyKeeper, ForwardedRequest } from './proxy-source.js'

/** The proxy said go on: the request the route sees, and the headers the final response gets. */
export interface ProxyPass {
  readonly source: HostRequest
  /** Headers and cookies set on the `next()` / `rewrite()` response, for the final answer. */
  readonly headers: Array<[string, string]>
  /** A same-origin rewrite: match this URL (path and query, prefix included) instead. */
  readonly rewritten: boolean
  /** Replaced request headers, for the host when no route matches. */
  readonly requestHeaders: Headers | undefined
}

/** Whether the proxy runs for `path` (below the mount prefix). Cheap when it has no conditions. */
export function proxyMatches(proxy: LoadedProxy, path: string, host: HostRequest): boolean {
  const { matchers } = proxy
  return matchers === undefined || matchesAny(matchers, path, host, conditionSource)
}

/** What `has` / `missing` read of a request. */
function conditionSource(host: HostRequest): ConditionSource {
  const header = (name: string) => (host.header ? host.header(name) : (host.headers().get(name) ?? undefined))
  return {
    header,
    query: () => {
      const q = host.url.indexOf('?')
      return q === -1 ? '' : host.url.slice(q + 1)
    },
    host: () => header('host'),
  }
}

/** Next's answer for a proxy that throws (packages/next/src/server/lib/router-server.ts). */
const PROXY_FAILED: Outgoing = {
  status: 500,
  statusText: '',
  headers: [
    ['content-type', 'text/plain; charset=utf-8'],
    ['cache-control', 'private, no-cache, no-store, max-age=0, must-revalidate'],
  ],
  body: 'Internal Server Error',
}

/**
 * Run the proxy for `host`. Never rejects: a throw is Next's 500, reported to `onRequestError`.
 * Synchronous when the proxy is (a plain function returning nothing or a bare `NextResponse.next()`):
 * the request then goes on to the route without a turn of the event loop.
 */
export function runProxy(proxy: LoadedProxy, host: HostRequest, options: ResolvedRoutesOptions, lifecycle: Lifecycle): Outgoing | ProxyPass | Promise<Outgoing | ProxyPass> {
  const logger = host.logger ?? options.logger
  const keeper = new BodyKeeper(host)
  const request = createNextRequest(keeper, options.bodyLimit)
  const run: RunLink = { route: { definition: { file: proxy.file, path: proxy.page } }, source: host, logger, control: undefined, lifecycle, options }
  lifecycle.runStarted()
  let result: unknown
  try {
    const event = new NextFetchEvent({ request, page: proxy.page, context: { waitUntil: (promise) => waitUntilFor(run, promise) } })
    result = proxy.run(request as never, event as never)
  } catch (error) {
    lifecycle.runEnded(run)
    keeper.release()
    return failed(error, run, host, logger, proxy)
  }
  if (!isThenable(result)) {
    lifecycle.runEnded(run)
    return settle(result, keeper, run, host, options, logger, proxy)
  }
  return Promise.resolve(result).then(
    (value) => {
      lifecycle.runEnded(run)
      return settle(value, keeper, run, host, options, logger, proxy)
    },
    (error: unknown) => {
      lifecycle.runEnded(run)
      keeper.release()
      return failed(error, run, host, logger, proxy)
    },
  )
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'

/** What the proxy returned, read: synchronous for nothing and a bare `next()`. */
function settle(result: unknown, keeper: BodyKeeper, run: RunLink, host: HostRequest, options: ResolvedRoutesOptions, logger: Logger, proxy: LoadedProxy): Outgoing | ProxyPass | Promise<Outgoing | ProxyPass> {
  if (result === undefined || result === null || (isResponseLike(result) && isBareNext(result))) {
    // A body the proxy never touched stays the host's: the route reads the host request itself.
    return { source: keeper.touched ? new ForwardedRequest(keeper, undefined, undefined) : host, headers: [], rewritten: false, requestHeaders: undefined }
  }
  const failure = (error: unknown) => {
    keeper.release()
    return failed(error, run, host, logger, proxy)
  }
  try {
    if (!isResponseLike(result)) throw new TypeError('Expected an instance of Response to be returned')
    return readResult(result, keeper, host, options, logger, proxy).catch(failure)
  } catch (error) {
    return failure(error)
  }
}

async function readResult(response: Response, keeper: BodyKeeper, host: HostRequest, options: ResolvedRoutesOptions, logger: Logger, proxy: LoadedProxy): Promise<Outgoing | ProxyPass> {
  const fields = response.headers
  const rewrite = fields.get('x-middleware-rewrite')
  if (rewrite === null && fields.get('x-middleware-next') !== '1') {
    // The proxy answered: a redirect, a 401, any Response.
    keeper.release()
    const out = await toOutgoing(response, host.method === 'HEAD')
    return withoutInternal(out, host)
  }
  response.body?.cancel().catch(() => {})
  let requestHeaders = overriddenHeaders(fields)
  const headers: Array<[string, string]> = []
  const cookies: string[] = []
  for (const [name, value] of fields) {
    if (name.startsWith('x-middleware-') || name === 'content-length' || name === 'content-type') continue
    headers.push([name, value])
    if (name === 'set-cookie') cookies.push(value)
  }
  // Cookies the proxy set are seen by the route in this same request, as Next merges them
  // (x-middleware-set-cookie, packages/next/src/server/async-storage/request-store.ts).
  if (cookies.length > 0) requestHeaders = withCookies(requestHeaders ?? keeper.headers(), cookies)
  if (rewrite === null) return { source: new ForwardedRequest(keeper, requestHeaders, undefined), headers, rewritten: false, requestHeaders }
  const here = new URL(host.fullUrl())
  const target = new URL(rewrite, here)
  if (target.host !== here.host) {
    const out = await fetchRewrite(target, new ForwardedRequest(keeper, requestHeaders, undefined), options.bodyLimit, logger, proxy.file)
    return { ...out, headers: mergeProxyHeaders(headers, out.headers) }
  }
  const source = new ForwardedRequest(keeper, requestHeaders, { url: target.pathname + target.search, origin: here.origin })
  return { source, headers, rewritten: true, requestHeaders }
}

/** `headers` with the `cookie` header holding what the `set-cookie` lines set (a copy). */
function withCookies(headers: Headers, setCookies: readonly string[]): Headers {
  const jar = new Map<string, string>()
  for (const pair of (headers.get('cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
  }
  for (const line of setCookies) {
    const first = line.split(';', 1)[0]!
    const eq = first.indexOf('=')
    if (eq <= 0) continue
    const name = first.slice(0, eq).trim()
    const value = first.slice(eq + 1).trim()
    // An expired cookie (a delete) leaves the request.
    if (value === '' && /;\s*(expires=thu, 01 jan 1970|max-age=0)/i.test(line)) jar.delete(name)
    else jar.set(name, value)
  }
  const out = new Headers(headers)
  if (jar.size === 0) out.delete('cookie')
  else out.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
  return out
}

/** `NextResponse.next({ request: { headers } })`'s headers: every listed name, with its value. */
function overriddenHeaders(fields: Headers): Headers | undefined {
  const list = fields.get('x-middleware-override-headers')
  if (list === null) return undefined
  const headers = new Headers()
  for (const raw of list.split(',')) {
    const name = raw.trim()
    if (!name) continue
    const value = fields.get(`x-middleware-request-${name}`)
    if (value !== null) headers.set(name, value)
  }
  return headers
}

/** The proxy's own answer: `x-middleware-*` dropped, a same-origin `Location` made relative, as Next does (`relativizeURL`). */
function withoutInternal(out: Outgoing, host: HostRequest): Outgoing {
  let here: URL | undefined
  const headers: Array<[string, string]> = []
  for (const entry of out.headers) {
    const [name, value] = entry
    if (name.startsWith('x-middleware-')) continue
    if (name === 'location') {
      here ??= new URL(host.fullUrl())
      const target = URL.canParse(value) ? new URL(value) : undefined
      if (target && target.host === here.host) {
        headers.push([name, target.pathname + target.search + target.hash])
        continue
      }
    }
    headers.push(entry)
  }
  return headers.length === out.headers.length && here === undefined ? out : { ...out, headers }
}

/**
 * The proxy's response headers under the route's: the route's replace a proxy header of the same
 * name; `set-cookie` lines are all kept and `vary` fields joined (the rule every writer applies
 * to the host's own headers).
 */
export function mergeProxyHeaders(proxy: ReadonlyArray<[string, string]>, route: Array<[string, string]>): Array<[string, string]> {
  if (proxy.length === 0) return route
  const named = new Set<string>()
  for (const [name] of route) named.add(name)
  const out: Array<[string, string]> = []
  for (const entry of proxy) {
    if (entry[0] === 'set-cookie' || entry[0] === 'vary' || !named.has(entry[0])) out.push(entry)
  }
  for (const entry of route) out.push(entry)
  return joinVary(out)
}

function joinVary(headers: Array<[string, string]>): Array<[string, string]> {
  let first = -1
  for (let i = 0; i < headers.length; i++) {
    if (headers[i]![0] !== 'vary') continue
    if (first === -1) {
      first = i
      continue
    }
    const seen = new Set(headers[first]![1].split(',').map((f) => f.trim().toLowerCase()))
    const more = headers[i]![1].split(',').map((f) => f.trim()).filter((f) => f && !seen.has(f.toLowerCase()))
    headers[first] = ['vary', [headers[first]![1], ...more].join(', ')]
    headers.splice(i--, 1)
  }
  return headers
}

function failed(error: unknown, run: RunLink, host: HostRequest, logger: Logger, proxy: LoadedProxy): Outgoing {
  // A body past `bodyLimit` (413) or a client gone mid-upload (400) that the proxy let escape: the client's doing, as in a handler.
  if (isRoutewareError(error) && error.status < 500) return emptyOutgoing(error.status, error.status === 413 ? [['connection', 'close']] : [])
  logger.error(`Error in the proxy ${proxy.file} (${host.method} ${host.url}):`, error)
  ;(run.lifecycle as Lifecycle | undefined)?.reportError(run, error, host.url, 'proxy')
  return { ...PROXY_FAILED, headers: [...PROXY_FAILED.headers] }
}

/** Add the proxy's headers to an answer (a copy: a cached answer may be shared). */
export function withProxyHeaders(out: Outgoing, headers: ReadonlyArray<[string, string]>): Outgoing {
  if (headers.length === 0) return out
  return { ...out, headers: mergeProxyHeaders(headers, out.headers) }
}
