/**
 * What a handler sees when its answer may be stored: requests with a fixed origin (force-static,
 * prerendering, background regeneration) and the trackers that decide whether a run read a
 * dynamic input.
 */
import type { LoadedRoute } from '../load/load-table.js'
import type { BodySource, RequestSource } from '../seam.js'
import type { DynamicTracker } from '../web/next-request.js'
import { ORIGIN_READS } from '../web/next-url.js'

/** The origin of every request Routeware makes up, as `next build` renders them (packages/next/src/export/routes/app-route.ts). */
export const FIXED_ORIGIN = 'http://localhost:3000'

/** A request source whose URL has `FIXED_ORIGIN`, never the client's Host: reading its origin is not dynamic use. */
abstract class FixedOriginSource implements RequestSource {
  abstract readonly method: string
  abstract readonly basePath: string
  abstract fullUrl(): string
  abstract headers(): Headers
  abstract body(limit: number): BodySource | null
  abstract signal(): AbortSignal
}

/** True for a source whose origin is `FIXED_ORIGIN`. */
export function hasFixedOrigin(source: RequestSource): boolean {
  return source instanceof FixedOriginSource
}

/** The path (and query when `query`) of a full URL, after `FIXED_ORIGIN`. */
function onFixedOrigin(url: string, query: boolean): string {
  const parsed = new URL(url)
  return `${FIXED_ORIGIN}${parsed.pathname}${query ? parsed.search : ''}`
}

/**
 * Next's `force-static` request (app-route/module.ts builds it so): `http://localhost:3000` + the path, no headers, no cookies,
 * no search params; the method and the body are kept.
 */
export function staticSource(inner: RequestSource): RequestSource {
  return new FixedOriginView(inner, false)
}

/**
 * `dynamic = 'error'` when the answer may be stored: the client's request on `FIXED_ORIGIN`, so
 * the one thing such a handler may read about the URL without throwing (its origin: Next's
 * `proxyNextRequest` does not guard it) is never the client's Host.
 */
export function fixedOriginSource(inner: RequestSource): RequestSource {
  return new FixedOriginView(inner, true)
}

/** The client's request on `FIXED_ORIGIN`: with its query and headers (`keep`), or stripped as force-static wants. */
class FixedOriginView extends FixedOriginSource {
  readonly method: string
  readonly basePath: string
  constructor(
    private readonly inner: RequestSource,
    private readonly keep: boolean,
  ) {
    super()
    this.method = inner.method
    this.basePath = inner.basePath
  }
  fullUrl(): string {
    return onFixedOrigin(this.inner.fullUrl(), this.keep)
  }
  headers(): Headers {
    return this.keep ? this.inner.headers() : new Headers()
  }
  body(limit: number): BodySource | null {
    return this.inner.body(limit)
  }
  signal(): AbortSignal {
    return this.inner.signal()
  }
}

/**
 * A request Routeware makes itself, as `next build` does: a start-up render (a static route, a
 * `generateStaticParams` path), or a background regeneration (whoever triggered it, the handler sees none of their
 * Host, headers, cookies or query). `path` includes `basePath`.
 */
export class GeneratedSource extends FixedOriginSource {
  readonly method = 'GET'
  constructor(
    private readonly path: string,
    readonly basePath = '',
  ) {
    super()
  }
  fullUrl(): string {
    return `${FIXED_ORIGIN}${this.path}`
  }
  headers(): Headers {
    return new Headers()
  }
  body(): BodySource | null {
    return null
  }
  signal(): AbortSignal {
    return new AbortController().signal
  }
}

/**
 * `dynamic = 'error'`: reading a dynamic input throws Next's error (F7). Reading the origin does
 * not, as in Next: a stored answer runs on `FIXED_ORIGIN` (`fixedOriginSource`).
 */
export function dynamicErrorTracker(route: LoadedRoute): DynamicTracker {
  return (what) => {
    if (ORIGIN_READS.has(what)) return
    throw new Error(`Route ${route.definition.path} with \`dynamic = "error"\` couldn't be rendered statically because it used \`${what}\`. See more info here: https://nextjs.org/docs/app/building-your-application/rendering/static-and-dynamic#dynamic-rendering`)
  }
}

/** `dynamic = 'auto'`: `record` gets the first dynamic input read; the origin counts only when it is the client's. */
export function recordingTracker(source: RequestSource, record: (what: string) => void): DynamicTracker {
  const fixed = hasFixedOrigin(source)
  return (what) => {
    if (fixed && ORIGIN_READS.has(what)) return
    record(what)
  }
}
