/** Every error code Routeware raises, with the class that carries it. */

export type RoutewareErrorCode =
  | 'ROUTEWARE_INVALID_OPTION'
  | 'ROUTEWARE_INVALID_SEGMENT'
  | 'ROUTEWARE_ROUTE_CONFLICT'
  | 'ROUTEWARE_ROUTE_LOAD_FAILED'
  | 'ROUTEWARE_INVALID_EXPORT'
  | 'ROUTEWARE_ROUTE_COLLISION'
  | 'ROUTEWARE_BODY_TOO_LARGE'
  | 'ROUTEWARE_BODY_ABORTED'
  | 'ROUTEWARE_BODY_ALREADY_PARSED'
  | 'ROUTEWARE_NO_RESPONSE'
  | 'ROUTEWARE_NEXT_RESPONSE_NEXT'
  | 'ROUTEWARE_NEXT_RESPONSE_REWRITE'

/** An error raised by Routeware itself; `code` is stable, `message` names the file and the fix. */
export class RoutewareError extends Error {
  readonly code: RoutewareErrorCode
  /** HTTP status this error answers with when a handler lets it escape. */
  readonly status: number
  /** Files involved, absolute paths. */
  readonly files: readonly string[]
  constructor(code: RoutewareErrorCode, message: string, options: { status?: number; files?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RoutewareError'
    this.code = code
    this.status = options.status ?? 500
    this.files = options.files ?? []
  }
}

/** Raised when a request body grows past `bodyLimit`; uncaught, it answers 413. */
export function bodyTooLarge(limit: number): RoutewareError {
  return new RoutewareError(
    'ROUTEWARE_BODY_TOO_LARGE',
    `Request body is larger than the bodyLimit of ${limit} bytes. Raise the \`bodyLimit\` option if larger bodies are expected.`,
    { status: 413 },
  )
}

/** Raised when the client hangs up before the request body was fully received. */
export function bodyAborted(): RoutewareError {
  return new RoutewareError('ROUTEWARE_BODY_ABORTED', 'The client closed the connection before the request body was fully received.', {
    status: 400,
  })
}

/** True for any object carrying one of Routeware's codes (works across copies of the package). */
export function isRoutewareError(error: unknown): error is RoutewareError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('ROUTEWARE_')
}

/** Raised when a host body parser read the stream before Routeware and did not keep the bytes. */
export function bodyConsumed(parsed: { parser: string; contentType: string }): RoutewareError {
  return new RoutewareError(
    'ROUTEWARE_BODY_ALREADY_PARSED',
    `The request body (${parsed.contentType || 'no content-type'}) was already read by ${parsed.parser} before Routeware, and its exact bytes were not kept. ` +
      `Mount routes() before your body parsers, or keep the bytes: express.json({ verify: keepRawBody }) with keepRawBody from @routeware/express (express.raw() and express.text() keep them too).`,
    { status: 500 },
  )
}
