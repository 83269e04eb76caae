/** A route definition as find-my-way paths: generated param names, catch-alls as `*`. */
import type { RouteDefinition } from '@routeware/core/adapter'

/**
 * Param names are generated (`p0`, `p1`): Fastify would turn `[hello-world]` into a param named
 * `hello`, and it decodes `%2F`, so core reads the params from the raw URL instead. An optional
 * catch-all needs its parent path too (`/docs` and `/docs/*`).
 */
export function toFastifyPaths(definition: RouteDefinition): string[] {
  const parts: string[] = []
  for (const [index, segment] of definition.segments.entries()) {
    if (segment.kind === 'static') parts.push(segment.value.replace(/:/g, '::'))
    else if (segment.kind === 'dynamic') parts.push(`:p${index}`)
    else if (segment.kind === 'catchAll') parts.push('*')
    else return ['/' + parts.join('/'), '/' + [...parts, '*'].join('/')].map((p) => p.replace(/^\/\/+/, '/'))
  }
  return ['/' + parts.join('/')]
}
