/** `maxDuration`: a request source whose signal also aborts when the time is up. */
import type { BodySource, RequestSource } from '../seam.js'

/** Rejection value of `race` when the time ran out. */
export const kTimedOut = Symbol('routeware.timedOut')

/** Wraps the host's source: same request, plus a deadline that answers 504 and aborts `request.signal`. */
export class TimedSource implements RequestSource {
  readonly method: string
  readonly basePath: string
  readonly #inner: RequestSource
  readonly #controller = new AbortController()
  readonly #seconds: number
  #timer: NodeJS.Timeout | undefined
  constructor(inner: RequestSource, seconds: number) {
    this.#inner = inner
    this.#seconds = seconds
    this.method = inner.method
    this.basePath = inner.basePath
  }
  fullUrl(): string {
    return this.#inner.fullUrl()
  }
  headers(): Headers {
    return this.#inner.headers()
  }
  body(limit: number): BodySource | null {
    return this.#inner.body(limit)
  }
  signal(): AbortSignal {
    return AbortSignal.any([this.#inner.signal(), this.#controller.signal])
  }
  /** Settle with `work`, or reject with `kTimedOut` (aborting the signal) once the time is up. */
  race<T>(work: T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#timer = setTimeout(() => {
        this.#controller.abort(new DOMException(`The route ran longer than its maxDuration (${this.#seconds} s).`, 'TimeoutError'))
        reject(kTimedOut)
      }, this.#seconds * 1000)
      Promise.resolve(work).then(resolve, reject)
    })
  }
  clear(): void {
    clearTimeout(this.#timer)
  }
}
