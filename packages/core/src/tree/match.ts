/** The route trie: matching cost grows with the depth of the path, never with the number of routes. */
import type { RouteDefinition } from './build.js'

interface Node<T> {
  statics: Map<string, Node<T>> | undefined
  dynamic: Node<T> | undefined
  catchAll: T | undefined
  optionalCatchAll: T | undefined
  route: T | undefined
}

/** Result of a match: the route and the URL segments it consumed (params are read from them by position). */
export interface Match<T> {
  route: T
  segments: readonly string[]
}

/** A matcher over routes keyed by their definition. */
export interface Matcher<T extends { definition: RouteDefinition }> {
  /** Match already split, already decoded path segments (`/a/b` -> `['a','b']`). */
  match(segments: readonly string[]): T | undefined
  /** Every route, in Next's precedence order (static, dynamic, catch-all, optional catch-all). */
  list(): T[]
}

const node = <T>(): Node<T> => ({ statics: undefined, dynamic: undefined, catchAll: undefined, optionalCatchAll: undefined, route: undefined })

/** Build the trie. The definitions must already be validated by `buildRoutes`. */
export function createMatcher<T extends { definition: RouteDefinition }>(routes: readonly T[]): Matcher<T> {
  const root = node<T>()
  for (const route of routes) {
    let current = root
    for (const segment of route.definition.segments) {
      if (segment.kind === 'static') {
        current.statics ??= new Map()
        let next = current.statics.get(segment.value)
        if (!next) current.statics.set(segment.value, (next = node()))
        current = next
      } else if (segment.kind === 'dynamic') {
        current = current.dynamic ??= node()
      } else if (segment.kind === 'catchAll') {
        current.catchAll = route
      } else {
        current.optionalCatchAll = route
      }
    }
    const last = route.definition.segments.at(-1)
    if (!last || last.kind === 'static' || last.kind === 'dynamic') current.route = route
  }

  const walk = (current: Node<T>, segments: readonly string[], index: number): T | undefined => {
    if (index === segments.length) return current.route ?? current.optionalCatchAll
    if (current.statics) {
      const next = current.statics.get(segments[index]!)
      if (next) {
        const found = walk(next, segments, index + 1)
        if (found) return found
      }
    }
    if (current.dynamic) {
      const found = walk(current.dynamic, segments, index + 1)
      if (found) return found
    }
    return current.catchAll ?? current.optionalCatchAll
  }

  const list = (current: Node<T>, out: T[]): T[] => {
    if (current.route) out.push(current.route)
    if (current.statics) for (const key of [...current.statics.keys()].sort()) list(current.statics.get(key)!, out)
    if (current.dynamic) list(current.dynamic, out)
    if (current.catchAll) out.push(current.catchAll)
    if (current.optionalCatchAll) out.push(current.optionalCatchAll)
    return out
  }

  return {
    match: (segments) => walk(root, segments, 0),
    list: () => list(root, []),
  }
}

/**
 * Read a matched route's params from the path segments, by position. Catch-alls are arrays;
 * an optional catch-all with nothing to catch leaves its key out. Returns `undefined` for a
 * route without dynamic segments, as Next does. The object is plain; a param named
 * `__proto__` becomes an own property instead of touching the prototype.
 */
export function readParams(definition: RouteDefinition, segments: readonly string[]): Record<string, string | string[]> | undefined {
  let params: Record<string, string | string[]> | undefined
  const defs = definition.segments
  for (let i = 0; i < defs.length; i++) {
    const segment = defs[i]!
    if (segment.kind === 'static') continue
    params ??= {}
    let value: string | string[]
    if (segment.kind === 'dynamic') value = segments[i]!
    else if (i < segments.length) value = segments.slice(i)
    else if (segment.kind === 'optionalCatchAll') continue
    else value = []
    if (segment.name === '__proto__') Object.defineProperty(params, segment.name, { value, enumerable: true, writable: true, configurable: true })
    else params[segment.name] = value
  }
  return params
}
