/**
 * Whether a route the host's router matched (Fastify's find-my-way) can stand in for core's own
 * match: core then skips its trie walk. Checked on one route, in O(path depth).
 */
import type { RouteDefinition } from './build.js'

/**
 * Characters a host router may read as the end of the path: find-my-way stops at `#`, and at `;`
 * with `useSemicolonDelimiter`. Core reads them as part of the segment.
 */
function hasDelimiter(path: string): boolean {
  // A loop over the characters: a regular expression test costs more for a path this short.
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c === 35 || c === 59) return true // `#`, `;`
  }
  return false
}

/**
 * True when `definition` fits `segments` (the canonical raw path, split and decoded by core) and
 * the host read the same segments as core. The caller has already checked that the raw path is
 * canonical (no `%`, `//`, dot segment or backslash), so the only other way the host's reading can
 * differ is a delimiter. With the same segments and the same precedence, the host's route is core's.
 */
export function isUsableHint(definition: Readonly<RouteDefinition>, rawPath: string, segments: readonly string[]): boolean {
  return !hasDelimiter(rawPath) && fitsSegments(definition, segments)
}

/** Whether a route's URL shape fits these path segments (static values equal, params present). */
export function fitsSegments(definition: Readonly<RouteDefinition>, segments: readonly string[]): boolean {
  const defs = definition.segments
  for (let i = 0; i < defs.length; i++) {
    const segment = defs[i]!
    if (segment.kind === 'static') {
      if (segments[i] !== segment.value) return false
    } else if (segment.kind === 'dynamic') {
      if (i >= segments.length) return false
    } else {
      // A catch-all needs one segment or more; an optional catch-all takes any number.
      return segment.kind === 'optionalCatchAll' || i < segments.length
    }
  }
  return segments.length === defs.length
}
