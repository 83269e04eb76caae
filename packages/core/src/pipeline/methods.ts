/** Method dispatch as Next does it: HEAD runs GET, automatic OPTIONS, 405 with `Allow`, 400 for unknown methods. */
import { HTTP_METHODS, type RouteExports, type RouteHandler } from '../load/route-exports.js'
import { emptyOutgoing, type Outgoing } from '../seam.js'

const KNOWN = new Set<string>(HTTP_METHODS)

/** The handler to run, or the response that answers without one. */
export type MethodResolution = { handler: RouteHandler; headOnly: boolean } | { answer: Outgoing }

/**
 * Decide what a method does on a route, as Next's auto-implemented methods
 * (packages/next/src/server/route-modules/app-route/helpers/auto-implement-methods.ts); the 405
 * carries `Allow`, which RFC 9110 §15.5.6 requires and Next leaves out.
 */
export function resolveMethod(exports: RouteExports, method: string): MethodResolution {
  if (!KNOWN.has(method)) return { answer: emptyOutgoing(400) }
  const own = exports.handlers[method as keyof RouteExports['handlers']]
  if (own) return { handler: own, headOnly: method === 'HEAD' }
  if (method === 'HEAD' && exports.handlers.GET) return { handler: exports.handlers.GET, headOnly: true }
  if (method === 'OPTIONS') return { answer: emptyOutgoing(204, [['allow', exports.allow]]) }
  return { answer: emptyOutgoing(405, [['allow', exports.allow]]) }
}
