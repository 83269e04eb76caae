/** Parse one folder name of the app tree into a route segment, with Next.js's refusals. */

export type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'dynamic'; name: string }
  | { kind: 'catchAll'; name: string }
  | { kind: 'optionalCatchAll'; name: string }

export type FolderSegment = Segment | { kind: 'group'; value: string } | { kind: 'slot'; value: string } | { kind: 'private'; value: string }

/** A folder name Next.js refuses; `message` is Next's own text. */
export class SegmentError extends Error {}

/**
 * Next's reading of a folder name (sorted-routes.ts `_insert`, app-paths.ts `normalizeAppPath`,
 * underscore-ignore-app-paths): `(group)` and `@slot` leave the URL, `_private` hides its subtree,
 * a leading `%5F` stands for a literal `_`, and bracketed names are params.
 */
export function parseFolder(name: string): FolderSegment {
  if (name.startsWith('(') && name.endsWith(')')) return { kind: 'group', value: name }
  if (name.startsWith('@')) return { kind: 'slot', value: name }
  if (name.startsWith('_')) return { kind: 'private', value: name }
  if (!(name.startsWith('[') && name.endsWith(']'))) {
    const value = /^%5f/i.test(name) ? `_${name.slice(3)}` : name
    return { kind: 'static', value }
  }
  let inner = name.slice(1, -1)
  let optional = false
  let catchAll = false
  if (inner.startsWith('[') && inner.endsWith(']')) {
    inner = inner.slice(1, -1)
    optional = true
  }
  if (inner.startsWith('…')) {
    throw new SegmentError(`Detected a three-dot character ('…') at ('${inner}'). Did you mean ('...')?`)
  }
  if (inner.startsWith('...')) {
    inner = inner.slice(3)
    catchAll = true
  }
  if (inner.startsWith('[') || inner.endsWith(']')) {
    throw new SegmentError(`Segment names may not start or end with extra brackets ('${inner}').`)
  }
  if (inner.startsWith('.')) {
    throw new SegmentError(`Segment names may not start with erroneous periods ('${inner}').`)
  }
  if (optional && !catchAll) {
    throw new SegmentError(`Optional route parameters are not yet supported ("${name}").`)
  }
  if (inner === '') throw new SegmentError(`Segment names may not be empty ("${name}").`)
  if (optional) return { kind: 'optionalCatchAll', name: inner }
  if (catchAll) return { kind: 'catchAll', name: inner }
  return { kind: 'dynamic', name: inner }
}

/** The segment as Next prints it in a route path: `[id]`, `[...rest]`, `[[...opt]]`, or the static text. */
export function formatSegment(segment: Segment): string {
  switch (segment.kind) {
    case 'static':
      return segment.value
    case 'dynamic':
      return `[${segment.name}]`
    case 'catchAll':
      return `[...${segment.name}]`
    case 'optionalCatchAll':
      return `[[...${segment.name}]]`
  }
}

/** The segment with its name erased, as Next 16 prints ambiguous patterns (`/blog/[*]`). */
export function formatShape(segment: Segment): string {
  switch (segment.kind) {
    case 'static':
      return segment.value
    case 'dynamic':
      return '[*]'
    case 'catchAll':
      return '[...*]'
    case 'optionalCatchAll':
      return '[[...*]]'
  }
}
