/**
 * The requests around the proxy stage. The proxy reads the host request through a `BodyKeeper`:
 * a body it never touches stays the host's untouched stream for the route; a body it reads is
 * kept (its bytes, or the second branch of a tee) so the route then reads the same bytes. Nothing
 * is buffered unless the proxy reads the body, and `bodyLimit` bounds what is kept. After the
 * proxy, the route sees a `ForwardedRequest`: the request headers `NextResponse.next({ request:
 * { headers } })` gave, and a rewrite's URL.
 */
import type { BodySource, HostRequest, RequestSource } from '../seam.js'
import { webBodySource } from '../web/body-source.js'

/** A body the proxy read or started to read, kept for the route. */
type Kept = { bytes: Promise<Uint8Array> } | { stream: ReadableStream<Uint8Array> } | { source: BodySource | null }

/** The host request as the proxy sees it; what it reads of the body is kept for the route. */
export class BodyKeeper implements RequestSource {
  readonly method: string
  readonly basePath: string
  #kept: Kept | undefined
  constructor(readonly host: HostRequest) {
    this.method = host.method
    this.basePath = host.basePath
  }
  fullUrl(): string {
    return this.host.fullUrl()
  }
  headers(): Headers {
    return this.host.headers()
  }
  header(name: string): string | undefined {
    return this.host.header ? this.host.header(name) : (this.host.headers().get(name) ?? undefined)
  }
  signal(): AbortSignal {
    return this.host.signal()
  }
  /** The proxy's body: reading it keeps the bytes (or a tee branch) for the route. */
  body(limit: number): BodySource | null {
    this.#asked = true
    const source = this.host.body(limit)
    if (source === null) {
      this.#kept = { source: null }
      return null
    }
    return {
      collect: () => {
        const bytes = source.collect()
        this.#kept = { bytes }
        return bytes
      },
      stream: () => {
        const [mine, theirs] = source.stream().tee()
        this.#kept = { stream: theirs }
        return mine
      },
      ...(source.json ? { json: () => ((this.#kept = { source }), source.json!()) } : {}),
      ...(source.formData ? { formData: () => ((this.#kept = { source }), source.formData!()) } : {}),
    }
  }
  /** Whether the proxy asked for the body. */
  get touched(): boolean {
    return this.#kept !== undefined || this.#asked
  }
  #asked = false
  /** The body for the route: the host's own when the proxy left it, else what was kept. */
  bodyForRoute(limit: number): BodySource | null {
    const kept = this.#kept
    if (kept === undefined) return this.host.body(limit)
    if ('source' in kept) return kept.source
    if ('stream' in kept) return webBodySource(kept.stream, limit)
    const { bytes } = kept
    return {
      collect: () => bytes,
      stream: () =>
        new ReadableStream<Uint8Array>({
          async start(controller) {
            try {
              controller.enqueue(await bytes)
              controller.close()
            } catch (error) {
              controller.error(error)
            }
          },
        }),
    }
  }
  /** The route will not run (the proxy answered): let go of a kept tee branch. */
  release(): void {
    const kept = this.#kept
    if (kept !== undefined && 'stream' in kept) kept.stream.cancel().catch(() => {})
  }
}

/**
 * The request the route sees after the proxy: the proxy's request headers (when it gave some),
 * a rewrite's URL (path and query, prefix included), the body the keeper holds.
 */
export class ForwardedRequest implements HostRequest {
  readonly method: string
  readonly basePath: string
  readonly logger: HostRequest['logger']
  readonly url: string
  readonly #origin: string | undefined
  constructor(
    private readonly keeper: BodyKeeper,
    private readonly requestHeaders: Headers | undefined,
    rewrite: { url: string; origin: string } | undefined,
  ) {
    const { host } = keeper
    this.method = host.method
    this.basePath = host.basePath
    this.logger = host.logger
    this.url = rewrite ? rewrite.url : host.url
    this.#origin = rewrite?.origin
  }
  onSent(callback: () => void): void {
    const { host } = this.keeper
    if (host.onSent) host.onSent(callback)
    else setImmediate(callback)
  }
  fullUrl(): string {
    return this.#origin === undefined ? this.keeper.host.fullUrl() : this.#origin + this.url
  }
  headers(): Headers {
    return this.requestHeaders ? new Headers(this.requestHeaders) : this.keeper.host.headers()
  }
  header(name: string): string | undefined {
    return this.requestHeaders ? (this.requestHeaders.get(name) ?? undefined) : this.keeper.header(name)
  }
  body(limit: number): BodySource | null {
    return this.keeper.bodyForRoute(limit)
  }
  signal(): AbortSignal {
    return this.keeper.host.signal()
  }
}
