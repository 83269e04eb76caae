/**
 * A host's mount prefix as a pattern (Fastify's `prefix: '/t/:tenant'`): which prefix a request
 * path is under. Express resolves its mount path itself (`req.baseUrl`); Fastify hands plugins
 * the pattern (`instance.prefix`), so its adapter resolves it here, per request.
 */
import { RoutewareError } from '../errors.js'

/**
 * The concrete prefix a request target starts with (`/t/acme` for `/t/acme/x?q`), or `undefined`
 * when it is not below the pattern. A static prefix never reads the target.
 */
export type MountPrefix = (target: string) => string | undefined

const PARAM = /^:[A-Za-z_$][\w$]*$/

/**
 * Compile a Fastify prefix. A whole-segment parameter (`:tenant`) matches one non-empty segment;
 * `::` is a literal `:` (find-my-way's escape). Regex, multi-parameter and wildcard segments are
 * refused: Fastify would match them with rules Routeware does not repeat.
 */
export function createMountPrefix(pattern: string, option = 'prefix'): MountPrefix {
  const parts = pattern.split('/').filter((part) => part !== '')
  const segments = parts.map((part): string | undefined => {
    if (PARAM.test(part)) return undefined
    const literal = part.replace(/::/g, '')
    if (literal.includes(':') || literal.includes('*') || literal.includes('(')) {
      throw new RoutewareError(
        'ROUTEWARE_INVALID_OPTION',
        `The \`${option}\` ${JSON.stringify(pattern)} has a segment Routeware cannot resolve: ${JSON.stringify(part)}. ` +
          'A prefix may hold whole-segment parameters only (`/t/:tenant`). Use one, or move the parameter into the app directory (`app/t/[tenant]/route.ts`, read from `params`).',
      )
    }
    return part.replace(/::/g, ':')
  })
  if (segments.every((segment) => segment !== undefined)) {
    const fixed = segments.length === 0 ? '' : `/${segments.join('/')}`
    return () => fixed
  }
  return (target) => {
    let end = 0
    for (const segment of segments) {
      if (target.charCodeAt(end) !== 47) return undefined
      let next = end + 1
      while (next < target.length && target.charCodeAt(next) !== 47 && target.charCodeAt(next) !== 63) next++
      const value = target.slice(end + 1, next)
      if (value === '' || (segment !== undefined && value !== segment)) return undefined
      end = next
    }
    return target.slice(0, end)
  }
}
