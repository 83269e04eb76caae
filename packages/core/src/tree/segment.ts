/** Parse one folder name of the app tree into a route segment, with Next.js's refusals. */

export type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'dynamic'; name: string }
  | { kind: 'catchAll'; name: string }
  | { kind: 'optionalCatchAll'; name: string }

export type FolderSegment = Segment | { kind: 'group'; value: string } | { kind: 'slot'; value: string } | { kind: 'private'; value: string }

/** A folder name Next.js refuses. `render(route)` gives Next 16's message for the route it sits in. */
export class SegmentError extends Error {
  constructor(readonly render: (route: string) => string) {
    super(render('…'))
  }
}

/**
 * Next's reading of a folder name (app-paths.ts `normalizeAppPath`, get-segment-param.ts,
 * build/validate-app-paths.ts `validateSegmentParam`, underscore-ignore-app-paths): `(group)`
 * and `@slot` leave the URL, `_private` hides its subtree, a leading `%5F` stands for a literal
 * `_`, and bracketed names are params, refused with Next 16's messages.
 */
export function parseFolder(name: string): FolderSegment {
  if (name.startsWith('(') && name.endsWith(')')) return { kind: 'group', value: name }
  if (name.startsWith('@')) return { kind: 'slot', value: name }
  if (name.startsWith('_')) return { kind: 'private', value: name }
  let kind: 'dynamic' | 'catchAll' | 'optionalCatchAll'
  let param: string
  if (name.startsWith('[[...') && name.endsWith(']]')) {
    kind = 'optionalCatchAll'
    param = name.slice(5, -2)
  } else if (name.startsWith('[...') && name.endsWith(']')) {
    kind = 'catchAll'
    param = name.slice(4, -1)
  } else if (name.startsWith('[') && name.endsWith(']')) {
    kind = 'dynamic'
    param = name.slice(1, -1)
  } else {
    const value = /^%5f/i.test(name) ? `_${name.slice(3)}` : name
    return { kind: 'static', value }
  }
  if (param.length === 0) throw new SegmentError((route) => `Parameter names cannot be empty in route "${route}".`)
  if (param.includes('…')) {
    throw new SegmentError((route) => `Detected a three-dot character ('…') in parameter "${param}" in route "${route}". Did you mean ('...')?`)
  }
  if (kind !== 'optionalCatchAll' && param.startsWith('[') && param.endsWith(']')) {
    throw new SegmentError((route) => `Optional route parameters are not yet supported ("[${param}]") in route "${route}".`)
  }
  if (param.startsWith('[') || param.endsWith(']')) {
    throw new SegmentError((route) => `Segment names may not start or end with extra brackets ('${param}') in route "${route}".`)
  }
  if (param.startsWith('.')) {
    throw new SegmentError((route) => `Segment names may not start with erroneous periods ('${param}') in route "${route}".`)
  }
  return { kind, name: asPropertyKey(param) }
}

/**
 * The same string as V8 keeps property keys (internalized): a name sliced from the folder name is
 * not, and `params[name] = value` with such a key takes the megamorphic store path on every request.
 */
const asPropertyKey = (name: string): string => Object.keys({ [name]: 0 })[0]!

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
