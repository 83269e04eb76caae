/**
 * One conformance suite over every target. A scenario never names a target: `forEachTarget`
 * starts the same host setup on each target once per file, adds the target to the titles and
 * owns the HTTP client; `forEachTargetStartup` does the same for a setup whose start-up fails.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import supertest from 'supertest'
import { fileURLToPath } from 'node:url'
import type { Server } from 'node:http'
import { SKIP_REASONS } from './_skips.js'
import { targets, type HostSetup, type RunningTarget, type Target, type UnawaitedStart } from './_targets.js'
import { rawRequest, type RawResponse } from './_raw-http.js'

/** A fixture tree's absolute path: `fixture('basic')` -> test/fixtures/basic/app. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/app`, import.meta.url))

export interface TargetContext {
  /** supertest against the running server. */
  http(): ReturnType<typeof supertest>
  /** A raw socket request, for paths a client would normalize. */
  raw(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<RawResponse>
  /** `http://127.0.0.1:port` */
  origin(): string
  /** What the host logger received so far. */
  logs(): string[]
  /** The listening node:http server, for leak checks (connections, listeners). */
  server(): Server
  /** Shut the target down now, as an app's shutdown does (Routeware's close, then the host's); the harness does not close it again. */
  close(): Promise<void>
  /** The target's name, for messages only: never branch on it. */
  readonly target: Target
  /** `it`, skipped (with its reason) on targets lacking one of `needs`. */
  test(title: string, fn: () => Promise<void> | void, needs?: string[], timeout?: number): void
}

/** `it` on `target`, skipped with its reason from `_skips.ts` where the target lacks one of `needs`. */
function targetTest(target: Target) {
  return (name: string, fn: () => Promise<void> | void, needs: string[] = [], timeout?: number) => {
    const missing = needs.find((n) => target.lacks.has(n))
    if (missing) it.skip(`${name} (skipped: ${SKIP_REASONS[missing]})`, fn)
    else it(name, fn, timeout)
  }
}

/** Run `body` once per target, each with its own server started from `setup`. */
export function forEachTarget(title: string, setup: HostSetup, body: (t: TargetContext) => void): void {
  for (const target of targets) {
    describe(`${title} [${target.name}]`, () => {
      let running: RunningTarget | undefined
      let closed: Promise<void> | undefined
      beforeAll(async () => {
        running = await target.start(setup)
      })
      afterAll(async () => {
        await (closed ?? running?.close())
      })
      const ctx: TargetContext = {
        close: () => (closed ??= running!.close()),
        target,
        http: () => supertest(running!.origin),
        raw: (method, path, headers, reqBody) => rawRequest(running!.origin, method, path, headers, reqBody),
        origin: () => running!.origin,
        logs: () => running!.logs,
        server: () => running!.server,
        test: targetTest(target),
      }
      body(ctx)
    })
  }
}

/** A start-up error: Routeware's carry a stable `code` and the `files` involved. */
export type StartupError = Error & { code?: string; files?: readonly string[] }

export interface StartupContext {
  /** The error this target's start-up failed with, however the target surfaces it (see `Target.start`); throws if it started. */
  failure(): StartupError
  /**
   * Start once more as a user who never awaits readiness, let the load settle, and report the
   * error the target surfaces (thrown at once, or by its `ready()` afterwards) and every unhandled
   * rejection meanwhile. Needs `'unawaited-start'`.
   */
  unawaited(): Promise<{ error: unknown; unhandled: unknown[] }>
  /** The target's name, for messages only: never branch on it. */
  readonly target: Target
  /** `it`, skipped (with its reason) on targets lacking one of `needs`. */
  test(title: string, fn: () => Promise<void> | void, needs?: string[], timeout?: number): void
}

/**
 * Run a start-up scenario on every target: `setup` is started once per target, and `body` checks
 * how that start failed. How a target surfaces the failure is the target's business (`_targets.ts`).
 */
export function forEachTargetStartup(title: string, setup: HostSetup, body: (t: StartupContext) => void): void {
  for (const target of targets) {
    describe(`${title} [${target.name}]`, () => {
      let outcome: { running: RunningTarget } | { error: unknown } | undefined
      beforeAll(async () => {
        outcome = await target.start(setup).then(
          (running) => ({ running }),
          (error: unknown) => ({ error }),
        )
      })
      afterAll(async () => {
        if (outcome && 'running' in outcome) await outcome.running.close()
      })
      body({
        target,
        failure() {
          if (!outcome || !('error' in outcome)) throw new Error(`expected the start-up to fail, but ${target.name} started`)
          return outcome.error as StartupError
        },
        async unawaited() {
          if (!target.startUnawaited || target.lacks.has('unawaited-start')) throw new Error(`${target.name} lacks 'unawaited-start': pass it in the test's needs`)
          const unhandled: unknown[] = []
          const onUnhandled = (reason: unknown) => unhandled.push(reason)
          process.on('unhandledRejection', onUnhandled)
          let started: UnawaitedStart | undefined
          try {
            let error: unknown
            try {
              started = target.startUnawaited(setup)
            } catch (thrown) {
              error = thrown // refused synchronously (Express's routes() on an invalid option)
            }
            await nextTurn()
            // The outcome through a ready() of our own: it handles its own promise, not the dropped one.
            if (started) error = await started.ready().then(() => undefined, (e: unknown) => e)
            // Node reports a rejection nobody handled once the microtask queue drains: wait past that.
            await nextTurn()
            return { error, unhandled }
          } finally {
            process.off('unhandledRejection', onUnhandled)
            await started?.close().catch(() => {})
          }
        },
        test: targetTest(target),
      })
    })
  }
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 10))
