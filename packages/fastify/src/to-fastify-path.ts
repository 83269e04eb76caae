/** A route definition as find-my-way paths: generated param names, catch-alls as `*`. */
import type { RouteDefinition } from '@routeware/core/adapter'

/** How the paths are written. */
export interface FastifyPathOptions {
  /**
   * Also register each path with a trailing slash (not the root, not a `*`). Routeware's
   * `trailingSlash: true` serves `/a/` and, for a param value like `5.json`, `/a/5.json`: both
   * forms can be canonical, so both are native routes. Off when the host's router ignores
   * trailing slashes (it would refuse the twin as a duplicate) and for `trailingSlash: false`,
   * where `/a/` is answered with its 308 by the wildcard route.
   */
  slashTwins?: boolean
}

/** Characters find-my-way reads as syntax in a static segment, so they cannot be written as-is. */
const SYNTAX = /[*?#]/

/**
 * Param names are generated (`p0`, `p1`, by segment index): Fastify would turn `[hello-world]`
 * into a param named `hello`, and core reads the params from the raw URL itself anyway (each
 * segment decoded once, so `%2F` stays inside its param). `:` in a static segment is escaped as
 * `::`; a static segment holding `*`, `?` or `#` becomes a param that matches only that literal
 * (find-my-way refuses `*` inside a segment), which keeps its static precedence. An optional
 * catch-all needs its parent path too (`/docs` and `/docs/*`).
 */
export function toFastifyPaths(definition: Pick<RouteDefinition, 'segments'>, options: FastifyPathOptions = {}): string[] {
  const parts: string[] = []
  const paths: string[] = []
  for (const [index, segment] of definition.segments.entries()) {
    if (segment.kind === 'static') {
      parts.push(SYNTAX.test(segment.value) ? `:p${index}(^${escapeRegExp(segment.value)}$)` : segment.value.replace(/:/g, '::'))
    } else if (segment.kind === 'dynamic') {
      parts.push(`:p${index}`)
    } else {
      if (segment.kind === 'optionalCatchAll') paths.push(join(parts))
      parts.push('*')
    }
  }
  paths.push(join(parts))
  if (!options.slashTwins) return paths
  return paths.flatMap((path) => (path === '/' || path.endsWith('*') ? [path] : [path, `${path}/`]))
}

function join(parts: readonly string[]): string {
  return '/' + parts.join('/')
}

/** Escaped for a find-my-way regex param, whose pattern ends at the first unescaped `)`. */
function escapeRegExp(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
}
