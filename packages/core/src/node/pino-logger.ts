/** Core logs as `logger.error(message, error?)`; pino wants `(object, message)`, or the error is dropped. */
import type { Logger } from '../options.js'

interface PinoLike {
  error(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  info(obj: unknown, msg?: string): void
}

class PinoLogger implements Logger {
  constructor(private readonly log: PinoLike) {}
  error(message: unknown, error?: unknown): void {
    if (error === undefined) this.log.error(message)
    else this.log.error({ err: error }, String(message))
  }
  warn(message: unknown, error?: unknown): void {
    if (error === undefined) this.log.warn(message)
    else this.log.warn({ err: error }, String(message))
  }
  info(message: unknown): void {
    this.log.info(message)
  }
}

/** Wrap a pino logger (Fastify's `request.log`) in the shape core logs with. */
export function toPinoLogger(log: PinoLike): Logger {
  return new PinoLogger(log)
}
