/**
 * `Date.now()` held at one instant that only the test moves: whether a cache entry is fresh or
 * stale is then decided by the test, never by how long a busy machine took between two requests.
 * The servers run in the test's process, so core reads this clock too. Timers stay real.
 */
import { vi } from 'vitest'

export interface HeldClock {
  /** Move the held instant forward by `ms`. */
  advance(ms: number): void
  /** Give `Date.now()` back. */
  restore(): void
}

/** Hold `Date.now()` at the current instant until `restore()`. */
export function holdClock(): HeldClock {
  let now = Date.now()
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => now)
  return {
    advance(ms) {
      now += ms
    },
    restore() {
      spy.mockRestore()
    },
  }
}

/** Poll `read` every 10 ms until it returns something other than `undefined`; fails past `ms` (generous: a bound, not a timing). */
export async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`still waiting, after ${ms} ms, for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
