/** Process-level failures a test must not cause: unhandled rejections and uncaught exceptions. */
import { afterEach, beforeEach } from 'vitest'

/** Collect unhandled rejections and uncaught exceptions while each test runs. */
export function watchProcess() {
  const failures: unknown[] = []
  const onFailure = (reason: unknown) => failures.push(reason)
  beforeEach(() => {
    failures.length = 0
    process.on('unhandledRejection', onFailure)
    process.on('uncaughtException', onFailure)
  })
  afterEach(() => {
    process.off('unhandledRejection', onFailure)
    process.off('uncaughtException', onFailure)
  })
  return failures
}
