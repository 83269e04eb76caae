/** Every contender, in report order; each is `servers/<name>.mjs` exporting `start(port)`. */
export const contenders = [
  'node-http',
  'fastify',
  'fastify-beside',
  'express',
  'hono',
  'hono-global',
  'whatwg-node',
  'next',
  'routeware-fastify',
  'routeware-fastify-nr',
  'routeware-express',
  'routeware-express-nr',
  'routeware-handler',
  'routeware-handler-nr',
  'routeware-fastify-proxy-miss',
  'routeware-fastify-proxy-next',
  'routeware-express-proxy-miss',
  'routeware-express-proxy-next',
  'routeware-fastify-instr',
]

/** The contenders of the route-count scenario (they take `{ routes }`): Routeware, and plain Fastify for reference. */
export const routeCountContenders = ['fastify', 'routeware-fastify', 'routeware-express', 'routeware-handler']

/**
 * Contenders that run only some load scenarios by default (all of them when BENCH_ONLY names
 * them), to keep the default run under 10 minutes.
 */
export const defaultScenarios = {
  'hono-global': ['get'],
  'fastify-beside': ['get', 'echo-1k', 'stream'],
  // proxy.ts (issue #14): its cost on the GET scenario, beside routeware-*-nr without one.
  'routeware-fastify-proxy-miss': ['get'],
  'routeware-fastify-proxy-next': ['get'],
  'routeware-express-proxy-miss': ['get'],
  'routeware-express-proxy-next': ['get'],
  // instrumentation.ts with only register() (issue #13): its cost on the GET scenario.
  'routeware-fastify-instr': ['get'],
  // createHandler's listener with NextResponse.json (issue #11's listener goal): the GET scenario.
  'routeware-handler-nr': ['get'],
}

/**
 * Scenarios that only some contenders run by default (all of them when BENCH_ONLY names them):
 * the cached HIT is about Routeware's cache, beside plain Fastify and Express computing the same
 * answer and Next serving its own prerendered copy; the others would only lengthen the run.
 */
export const scenarioContenders = { cached: ['fastify', 'express', 'next', 'routeware-fastify', 'routeware-express', 'routeware-handler'] }
