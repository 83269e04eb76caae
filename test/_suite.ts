/**
 * One conformance suite over every target. A scenario never names a target: `forEachTarget`
 * starts the same host setup on each target once per file, adds the target to the titles and
 * owns the HTTP client.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import supertest from 'supertest'
import { fileURLToPath } from 'node:url'
import type { Server } from 'node:http'
import { SKIP_REASONS } from './_skips.js'
import { targets, type HostSetup, type RunningTarget, type Target } from './_targets.js'
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
  /** The target's name, for messages only: never branch on it. */
  readonly target: Target
  /** `it`, skipped (with its reason) on targets lacking one of `needs`. */
  test(title: string, fn: () => Promise<void> | void, needs?: string[], timeout?: number): void
}

/** Run `body` once per target, each with its own server started from `setup`. */
export function forEachTarget(title: string, setup: HostSetup, body: (t: TargetContext) => void): void {
  for (const target of targets) {
    describe(`${title} [${target.name}]`, () => {
      let running: RunningTarget | undefined
      beforeAll(async () => {
        running = await target.start(setup)
      })
      afterAll(async () => {
        await running?.close()
      })
      const ctx: TargetContext = {
        target,
        http: () => supertest(running!.origin),
        raw: (method, path, headers, reqBody) => rawRequest(running!.origin, method, path, headers, reqBody),
        origin: () => running!.origin,
        logs: () => running!.logs,
        server: () => running!.server,
        test(name, fn, needs = [], timeout) {
          const missing = needs.find((n) => target.lacks.has(n))
          if (missing) it.skip(`${name} (skipped: ${SKIP_REASONS[missing]})`, fn)
          else it(name, fn, timeout)
        },
      }
      body(ctx)
    })
  }
}
