/**
 * A router's lifecycle: the `after()` tasks of its requests (queued until the response was sent,
 * then run inside the request scope), `onRequestError` reports, and what `close()` waits for.
 * Nothing here runs for a request whose handler never calls `after()`: a run costs two counter
 * updates (`runStarted`, `runEnded`).
 */
import type { Logger } from '../options.js'
import { runInScope, type RequestScope, type RunLifecycle, type RunLink } from '../scope/request-scope.js'

/** `onRequestError` of `instrumentation.ts`, as Next 16 calls it. */
export type OnRequestError = (
  error: unknown,
  request: Readonly<{ path: string; method: string; headers: Record<string, string | string[] | undefined> }>,
  context: Readonly<{ routerKind: 'App Router'; routePath: string; routeType: 'route' | 'proxy'; revalidateReason: undefined }>,
) => unknown

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** `1 request in flight and 2 after() tasks`, leaving out what is zero. */
function describe(running: number, tasks: number): string {
  const parts: string[] = []
  if (running > 0) parts.push(`${plural(running, 'request')} in flight`)
  if (tasks > 0 || running === 0) parts.push(plural(tasks, 'after() task'))
  return parts.join(' and ')
}

/** Counts what is still to do for a router's requests, and waits for it when the router closes. */
export class Lifecycle implements RunLifecycle {
  /** Handlers running now. */
  running = 0
  /** `after()` functions queued for a response not sent yet. */
  queued = 0
  /** Work running after its response: `after()` functions started, promises given to `after()`/`waitUntil`, `onRequestError` calls. */
  pending = 0
  /** Set once `instrumentation.ts` is loaded. */
  onRequestError: OnRequestError | undefined
  /** The file it came from, for the log. */
  instrumentationFile: string | undefined
  /** Queues whose response was not sent yet: the one number a returning handler reads. */
  #open = 0
  readonly #queues = new WeakMap<RunLink, AfterQueue>()
  /** Runs Routeware made itself (prerendering) whose handler returned: nobody reports their send. */
  readonly #returned = new WeakSet<RunLink>()
  #idle: (() => void) | undefined
  #closing: Promise<void> | undefined

  constructor(
    readonly logger: Logger,
    /** How long `close()` waits, in milliseconds. */
    readonly shutdownTimeout: number,
  ) {}

  /** A handler starts. */
  runStarted(): void {
    this.running++
  }

  /** A handler returned or threw: a queue without a host to report the send may start now. */
  runEnded(run: RunLink): void {
    this.running--
    if (typeof run.source.onSent !== 'function') this.#returned.add(run)
    if (this.#open !== 0) this.#queues.get(run)?.handlerReturned()
    this.#check()
  }

  after(run: RunLink, task: unknown, scope: RequestScope | undefined, via: 'after' | 'waitUntil'): void {
    if (isThenable(task)) {
      this.track(task, run, via)
      return
    }
    if (typeof task !== 'function') throw new Error(`\`${via}()\`: Argument must be a promise or a function`)
    let queue = this.#queues.get(run)
    if (queue === undefined) {
      this.#open++
      queue = new AfterQueue(this, run, scope)
      this.#queues.set(run, queue)
      if (this.#returned.has(run)) queue.handlerReturned()
    }
    queue.add(task as () => unknown)
  }

  /** Count `promise` until it settles; its rejection is logged naming the route file, never thrown. */
  track(promise: PromiseLike<unknown>, run: RunLink | undefined, via: 'after' | 'waitUntil'): void {
    this.pending++
    Promise.resolve(promise).then(
      () => this.#settled(),
      (error: unknown) => {
        this.#log(run, `a promise passed to \`${via}()\``, error)
        this.#settled()
      },
    )
  }

  /** Start one `after()` function (inside the request scope when there is one). */
  start(run: RunLink | undefined, scope: RequestScope | undefined, task: () => unknown): void {
    this.pending++
    let result: unknown
    try {
      result = scope ? runInScope(scope, task) : task()
    } catch (error) {
      result = Promise.reject(error)
    }
    Promise.resolve(result).then(
      () => this.#settled(),
      (error: unknown) => {
        this.#log(run, 'a function passed to `after()`', error)
        this.#settled()
      },
    )
  }

  /**
   * Report a handler's error to `onRequestError` with Next's arguments, on the next turn of the
   * loop: the response never waits for it. Its own failure is logged.
   */
  reportError(run: RunLink, error: unknown, path: string, routeType: 'route' | 'proxy' = 'route'): void {
    const hook = this.onRequestError
    if (hook === undefined) return
    this.pending++
    setImmediate(() => {
      let result: unknown
      try {
        const request = { path, method: run.source.method, headers: toPlainHeaders(run.source.headers()) }
        result = hook(error, request, { routerKind: 'App Router', routePath: run.route.definition.path, routeType, revalidateReason: undefined })
      } catch (thrown) {
        result = Promise.reject(thrown)
      }
      Promise.resolve(result).then(
        () => this.#settled(),
        (thrown: unknown) => {
          run.logger.error(`onRequestError of ${this.instrumentationFile} threw while reporting an error of ${run.route.definition.file}:`, thrown)
          this.#settled()
        },
      )
    })
  }

  /** A queue's response was sent: its functions move from queued to pending. */
  flushed(count: number): void {
    this.#open--
    this.queued -= count
  }

  /**
   * Wait for the handlers still running and the tasks still to run, at most `shutdownTimeout`;
   * the log says what was waited for and what was given up.
   */
  close(): Promise<void> {
    // Two closes at once wait together (Fastify's onClose and an explicit close, say).
    return (this.#closing ??= this.#drain().finally(() => {
      this.#closing = undefined
    }))
  }

  async #drain(): Promise<void> {
    const running = this.running
    const tasks = this.queued + this.pending
    if (running === 0 && tasks === 0) return
    const timeout = this.shutdownTimeout
    this.logger.info(`Routeware is closing: waiting for ${describe(running, tasks)} (at most ${timeout} ms).`)
    const finished = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeout)
      this.#idle = () => {
        clearTimeout(timer)
        resolve(true)
      }
      this.#check()
    })
    this.#idle = undefined
    // A handler that just returned has its answer written on the next turns: let it leave first.
    if (running > 0) await new Promise((resolve) => setImmediate(resolve))
    if (finished) this.logger.info(`Routeware closed: ${describe(running, tasks)} finished.`)
    else this.logger.warn(`Routeware closed after ${timeout} ms (shutdownTimeout), giving up on ${describe(this.running, this.queued + this.pending)}.`)
  }

  #settled(): void {
    this.pending--
    this.#check()
  }

  #check(): void {
    if (this.#idle !== undefined && this.running === 0 && this.queued === 0 && this.pending === 0) this.#idle()
  }

  #log(run: RunLink | undefined, what: string, error: unknown): void {
    const logger = run?.logger ?? this.logger
    logger.error(`An error occurred in ${what}${run ? ` (${run.route.definition.file})` : ''}:`, error)
  }
}

/** The lifecycle of runs without a router's (prerendering at start-up): their tasks run, nothing waits for them. */
export const standaloneLifecycle = new Lifecycle(console, 0)

/** One request's `after()` functions, held until its response was sent. */
class AfterQueue {
  #tasks: Array<() => unknown> = []
  #flushed = false
  readonly #hosted: boolean

  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly run: RunLink,
    private readonly scope: RequestScope | undefined,
  ) {
    const { source } = run
    // A request Routeware made itself (prerendering) has nobody to send to: its tasks start once the handler returned.
    this.#hosted = typeof source.onSent === 'function'
    if (this.#hosted) source.onSent!(() => this.#flush())
  }

  add(task: () => unknown): void {
    if (this.#flushed) {
      // `after()` inside an `after()` task, or once the response is gone: runs now.
      this.lifecycle.start(this.run, this.scope, task)
      return
    }
    this.#tasks.push(task)
    this.lifecycle.queued++
  }

  handlerReturned(): void {
    if (!this.#hosted) setImmediate(() => this.#flush())
  }

  #flush(): void {
    if (this.#flushed) return
    this.#flushed = true
    const tasks = this.#tasks
    this.#tasks = []
    this.lifecycle.flushed(tasks.length)
    // Next's phase 'after': cookies() reads, but can no longer set (packages/next/src/server/web/spec-extension/adapters/request-cookies.ts).
    if (this.scope) this.scope.phase = 'after'
    for (const task of tasks) this.lifecycle.start(this.run, this.scope, task)
  }
}

/**
 * Request headers as Next hands them to `onRequestError` on Node: Node's `req.headers`, a plain
 * object without prototype, lowercase names, repeated values joined (`set-cookie` an array).
 */
export function toPlainHeaders(headers: Headers): Record<string, string | string[] | undefined> {
  const out = Object.create(null) as Record<string, string | string[]>
  for (const [name, value] of headers) {
    if (name === 'set-cookie') ((out[name] as string[] | undefined) ??= []).push(value)
    else out[name] = value
  }
  return out
}
