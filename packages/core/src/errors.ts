/**
 * Every error Routeware raises, as one table: the code, the HTTP status it answers with when a
 * handler lets it escape (where one applies), and the message template. Messages name the file
 * or the option, and say how to fix it. Next's own messages (the route tree's refusals, the
 * segment config) are kept word for word inside them.
 */

/** The parameters each code's message is built from. */
interface ErrorParams {
  /** An option (or `createRedisStore`'s) that cannot be used. */
  ROUTEWARE_INVALID_OPTION: { option: string; rule: string; got?: string }
  /** Folder names Next refuses (`[param` without `]`, `[...a]` not last...): Next's message per problem. */
  ROUTEWARE_INVALID_SEGMENT: { dir: string; problems: string }
  /** Routes Next refuses side by side (two folders for one path, different slug names). */
  ROUTEWARE_ROUTE_CONFLICT: { dir: string; problems: string }
  /** Route files that threw while importing, each described with its file and line. */
  ROUTEWARE_ROUTE_LOAD_FAILED: { failures: string }
  /** Segment config Next refuses, one block per route file (Next's message, then the file). */
  ROUTEWARE_INVALID_EXPORT: { route: string; problems: string; file: string }
  /** A route file whose URL a Fastify route of the host already holds. */
  ROUTEWARE_ROUTE_COLLISION: { file: string; path: string; url: string; reason: string }
  /** A request body past `bodyLimit`. */
  ROUTEWARE_BODY_TOO_LARGE: { limit: number }
  /** The client hung up before its request body arrived in full. */
  ROUTEWARE_BODY_ABORTED: Record<string, never>
  /** A host body parser read the stream first and kept no bytes; `fix` is the adapter's own wording. */
  ROUTEWARE_BODY_ALREADY_PARSED: { contentType: string; parser: string; fix: string }
  /** An optional peer dependency that a feature needs is not installed. */
  ROUTEWARE_MISSING_DEPENDENCY: { feature: string; name: string }
  /** A `.tsx`/`.jsx` file whose JSX runtime (`<source>/jsx-runtime`) cannot be found from it. */
  ROUTEWARE_JSX_RUNTIME_MISSING: { file: string; source: string }
  /** `ImageResponse` was rendered, and `@vercel/og` cannot be found from the app directory. */
  ROUTEWARE_OG_RENDERER_MISSING: { dir: string }
  /** `instrumentation.ts` failed to load, its `register()` threw, or more than one was found. */
  ROUTEWARE_INSTRUMENTATION_FAILED: { file: string; problem: string; fix: string }
  /** A route file using `'use cache'` that the host compiles (tsx), so Routeware cannot. */
  ROUTEWARE_USE_CACHE_NOT_COMPILED: { file: string; host: boolean }
  /** `proxy.ts` (or `middleware.ts`) failed to load, exports no function, has a bad `config.matcher`, or sits beside the other name. */
  ROUTEWARE_PROXY_FAILED: { file: string; problem: string; fix: string }
}

/** Every code Routeware raises. */
export type RoutewareErrorCode = keyof ErrorParams

/** The table: status (500 where none applies) and message template of every code. */
const TABLE: { [C in RoutewareErrorCode]: { status: number; message: (p: ErrorParams[C]) => string } } = {
  ROUTEWARE_INVALID_OPTION: {
    status: 500,
    message: (p) => `\`${p.option}\` must be ${p.rule}${p.got === undefined ? '' : `; got ${p.got}`}.`,
  },
  ROUTEWARE_INVALID_SEGMENT: { status: 500, message: (p) => `Refused the route tree in ${p.dir}:\n${p.problems}` },
  ROUTEWARE_ROUTE_CONFLICT: { status: 500, message: (p) => `Refused the route tree in ${p.dir}:\n${p.problems}` },
  ROUTEWARE_ROUTE_LOAD_FAILED: {
    status: 500,
    message: (p) => `${p.failures}\n  Fix the error in that file (or move it under a _private folder to stop serving it).`,
  },
  ROUTEWARE_INVALID_EXPORT: {
    status: 500,
    message: (p) =>
      `Invalid segment configuration options detected for "${p.route}". Read more at https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config\n${p.problems}\n  in ${p.file}`,
  },
  ROUTEWARE_ROUTE_COLLISION: {
    status: 500,
    message: (p) => `The route file ${p.file} (${p.path}) collides with a Fastify route already registered at ${p.url}: ${p.reason}\n  Remove one of them, or mount Routeware under another prefix.`,
  },
  ROUTEWARE_BODY_TOO_LARGE: {
    status: 413,
    message: (p) => `Request body is larger than the bodyLimit of ${p.limit} bytes. Raise the \`bodyLimit\` option if larger bodies are expected.`,
  },
  ROUTEWARE_BODY_ABORTED: { status: 400, message: () => 'The client closed the connection before the request body was fully received.' },
  ROUTEWARE_BODY_ALREADY_PARSED: {
    status: 500,
    message: (p) =>
      `The request body (${p.contentType || 'no content-type'}) was already read by ${p.parser} before Routeware, and its exact bytes were not kept. Mount the routes before your body parsers, or keep the bytes: ${p.fix}`,
  },
  ROUTEWARE_MISSING_DEPENDENCY: { status: 500, message: (p) => `${p.feature} needs the \`${p.name}\` package, which is not installed: npm install ${p.name}` },
  ROUTEWARE_JSX_RUNTIME_MISSING: {
    status: 500,
    message: (p) => `${p.file} uses JSX, and its runtime ${p.source}/jsx-runtime cannot be found from it. Install @routeware/core in the app (its own JSX runtime needs no React), or install ${p.source === '@routeware/core' ? 'react' : p.source}.`,
  },
  ROUTEWARE_OG_RENDERER_MISSING: {
    status: 500,
    message: (p) => `ImageResponse renders with the optional peer dependency @vercel/og, which cannot be found from ${p.dir}. Install it in your app: npm install @vercel/og@^0.8`,
  },
  ROUTEWARE_INSTRUMENTATION_FAILED: { status: 500, message: (p) => `The instrumentation file ${p.file} ${p.problem}.\n  ${p.fix}` },
  ROUTEWARE_USE_CACHE_NOT_COMPILED: {
    status: 500,
    message: (p) =>
      p.host
        ? `${p.file} uses the 'use cache' directive, which Routeware's loader compiles, but here the host compiles TypeScript itself (tsx, ts-node or a Vite runner): the directive would be ignored and nothing cached.\n  Start the app without the host's TypeScript loader (plain \`node\` runs route files through Routeware's compiler), or use unstable_cache() from @routeware/core/cache in this file instead.`
        : `${p.file} uses the 'use cache' directive, but Node imports this JavaScript module as it is (an ES module), so Routeware cannot compile it: the directive would be ignored and nothing cached.\n  Move the function into the route file, or make the module TypeScript (.ts), or use unstable_cache() from @routeware/core/cache in it instead.`,
  },
  ROUTEWARE_PROXY_FAILED: { status: 500, message: (p) => `The proxy file ${p.file} ${p.problem}\n  ${p.fix}` },
}

/** Every code in the table, in its order. */
export const ERROR_CODES = Object.keys(TABLE) as RoutewareErrorCode[]

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
    this.status = options.status ?? TABLE[code].status
    this.files = options.files ?? []
  }
}

/** The error for `code`, its message built from the table's template. */
export function routewareError<C extends RoutewareErrorCode>(code: C, params: ErrorParams[C], options: { files?: readonly string[]; cause?: unknown } = {}): RoutewareError {
  return new RoutewareError(code, TABLE[code].message(params), options)
}

/** True for any object carrying one of Routeware's codes (works across copies of the package). */
export function isRoutewareError(error: unknown): error is RoutewareError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('ROUTEWARE_')
}

/** A request body grew past `bodyLimit`; uncaught, it answers 413. */
export const bodyTooLarge = (limit: number): RoutewareError => routewareError('ROUTEWARE_BODY_TOO_LARGE', { limit })

/** The client hung up before the request body was fully received; uncaught, it answers 400. */
export const bodyAborted = (): RoutewareError => routewareError('ROUTEWARE_BODY_ABORTED', {})

/** A host body parser read the stream before Routeware and did not keep the bytes. */
export const bodyConsumed = (parsed: { parser: string; contentType: string; fix?: string | undefined }): RoutewareError =>
  routewareError('ROUTEWARE_BODY_ALREADY_PARSED', {
    contentType: parsed.contentType,
    parser: parsed.parser,
    fix: parsed.fix ?? 'have the parser keep the raw bytes where the handler reads the body itself.',
  })

/** An option that cannot be used. */
export const invalidOption = (option: string, rule: string, got?: unknown): RoutewareError =>
  routewareError('ROUTEWARE_INVALID_OPTION', got === undefined ? { option, rule } : { option, rule, got: typeof got === 'string' ? JSON.stringify(got) : String(got) })
