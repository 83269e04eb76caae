/**
 * `ImageResponse` (`next/og`): JSX to PNG. The renderer is `@vercel/og` (Satori + resvg, what
 * Next bundles), an optional peer dependency resolved from the app's directory and imported only
 * when an image is rendered. Headers as Next's own class sets them
 * (packages/next/src/server/og/image-response.ts): `image/png` and `public, max-age=0,
 * must-revalidate` (`no-cache, no-store` in dev), never `@vercel/og`'s immutable default.
 */
import { loadRenderer, type ImageOptions } from './load-renderer.js'

/** The options Next's `ImageResponse` takes. */
export interface ImageResponseOptions extends ImageOptions {
  status?: number
  statusText?: string
  headers?: ConstructorParameters<typeof Headers>[0]
}

const REVALIDATE = 'public, max-age=0, must-revalidate'
const NO_CACHE = 'no-cache, no-store'

/** Shared across copies of the package, so the run stage finds an image built by another copy. */
const kImage = Symbol.for('routeware.imageResponse')

/** What renders once: the element and options, and the PNG once asked for. */
interface ImageJob {
  element: unknown
  options: ImageOptions
  /** The headers set by the caller carry their own Cache-Control. */
  ownCacheControl: boolean
  png: Promise<Uint8Array> | undefined
}

/** Render the job (once): `dir` is where `@vercel/og` is looked for. */
function render(job: ImageJob, dir: string): Promise<Uint8Array> {
  job.png ??= (async () => {
    const og = await loadRenderer(dir)
    const response = new og.ImageResponse(job.element, job.options)
    return new Uint8Array(await response.arrayBuffer())
  })()
  return job.png
}

/** A PNG response rendered from JSX: `new ImageResponse(<div>Hello</div>, { width: 1200, height: 630 })`. */
export class ImageResponse extends Response {
  static displayName = 'ImageResponse'
  declare readonly [kImage]: ImageJob

  constructor(element: unknown, options: ImageResponseOptions = {}) {
    const { status, statusText, headers: extra, ...imageOptions } = options
    const job: ImageJob = { element, options: imageOptions, ownCacheControl: false, png: undefined }
    // Rendered when first read: served by Routeware, the run stage renders it first (from the app
    // directory); read anywhere else (a test's `arrayBuffer()`), from the working directory.
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          controller.enqueue(await render(job, process.cwd()))
          controller.close()
        },
      },
      { highWaterMark: 0 },
    )
    const headers = new Headers({ 'content-type': 'image/png', 'cache-control': process.env.NODE_ENV === 'development' ? NO_CACHE : REVALIDATE })
    if (extra) {
      for (const [name, value] of new Headers(extra)) {
        headers.set(name, value)
        if (name === 'cache-control') job.ownCacheControl = true
      }
    }
    super(body, { headers, ...(status === undefined ? {} : { status }), ...(statusText === undefined ? {} : { statusText }) })
    Object.defineProperty(this, kImage, { value: job })
  }
}

/** Whether `value` is an `ImageResponse` (of any copy of this package) whose body is still unread. */
export function isImageResponse(value: unknown): value is ImageResponse {
  return typeof value === 'object' && value !== null && kImage in value && !(value as unknown as Response).bodyUsed
}

/**
 * The image rendered, as a plain Response with its bytes: a missing renderer or a failed render
 * rejects here, before any byte is sent, so the request answers 500 with the error logged. `dev`:
 * `no-cache, no-store` unless the caller set a Cache-Control.
 */
export async function renderImageResponse(response: ImageResponse, dir: string, dev: boolean): Promise<Response> {
  const job = response[kImage]
  const png = await render(job, dir)
  const headers = new Headers(response.headers)
  if (!job.ownCacheControl) headers.set('cache-control', dev ? NO_CACHE : REVALIDATE)
  return new Response(png, { status: response.status, statusText: response.statusText, headers })
}
