/** Every contender, in report order; each is `servers/<name>.mjs` exporting `start(port)`. */
export const contenders = [
  'node-http',
  'fastify',
  'express',
  'routeware-fastify',
  'routeware-express',
  'routeware-handler',
]
