/** Turn the scanned route files into validated route definitions, refusing what Next.js 16 refuses. */
import { routewareError } from '../errors.js'
import { type MetadataInfo, METADATA_ID_PARAM, metadataSegments } from '../metadata/conventions.js'
import { type Segment, SegmentError, formatSegment, formatShape, parseFolder } from './segment.js'

/** A route file found under `dir`. */
export interface RouteFile {
  /** Absolute path. */
  file: string
  /** Path relative to `dir`, with `/` separators: `blog/[id]/route.ts`. */
  relFile: string
  /** Set for a metadata file (`sitemap.ts`, `robots.txt`, `opengraph-image.tsx`...). */
  metadata?: MetadataInfo
}

/** One route file with its URL shape. */
export interface RouteDefinition extends RouteFile {
  /** Folder path with groups kept, as Next prints it in conflicts: `/(a)/dup`. */
  appPath: string
  /** URL pattern with groups dropped: `/blog/[id]`; `/` for the root. */
  path: string
  /** URL segments (groups, slots removed). */
  segments: Segment[]
}

interface Problem {
  message: string
  files: string[]
  fix: string
}

/**
 * Parse every file's folders and check the tree as Next 16 does. Files under a `_private`
 * folder are dropped. Throws one `ROUTEWARE_ROUTE_CONFLICT` / `ROUTEWARE_INVALID_SEGMENT`
 * error listing every problem, Next's message first, then the files and the fix.
 */
export function buildRoutes(files: readonly RouteFile[], dirLabel = 'app'): RouteDefinition[] {
  const problems: Problem[] = []
  const routes: RouteDefinition[] = []
  for (const f of [...files].sort((a, b) => (a.relFile < b.relFile ? -1 : a.relFile > b.relFile ? 1 : 0))) {
    const folders = f.relFile.split('/').slice(0, -1)
    const segments: Segment[] = []
    let hidden = false
    let broken = false
    // Next validates the normalized path: groups and slots dropped, folder names as written.
    const pathname = '/' + folders.filter((f) => !/^\(.*\)$/.test(f) && !f.startsWith('@')).join('/')
    for (const folder of folders) {
      let parsed
      try {
        parsed = parseFolder(folder)
      } catch (error) {
        if (!(error instanceof SegmentError)) throw error
        problems.push({ message: error.render(pathname), files: [f.file], fix: `Rename the folder "${folder}".` })
        broken = true
        break
      }
      if (parsed.kind === 'private') {
        hidden = true
        break
      }
      if (parsed.kind === 'group' || parsed.kind === 'slot') continue
      segments.push(parsed)
    }
    if (hidden || broken) continue
    if (f.metadata) {
      // The file's own URL segment(s): `sitemap.xml`, `opengraph-image`, `sitemap/[__metadata_id__]`.
      for (const value of metadataSegments(f.relFile.slice(f.relFile.lastIndexOf('/') + 1), folders, f.metadata)) segments.push({ kind: 'static', value })
      if (f.metadata.multi) segments.push({ kind: 'dynamic', name: METADATA_ID_PARAM })
    }
    const path = '/' + segments.map(formatSegment).join('/')
    const appPath = folders.length === 0 ? '' : '/' + folders.join('/')
    routes.push({ ...f, appPath, path, segments })
  }

  for (const route of routes) checkRoute(route, problems)
  checkSiblings(routes, problems)

  if (problems.length > 0) {
    const text = problems
      .map((p) => `${p.message}\n${p.files.map((file) => `  in ${file}`).join('\n')}\n  ${p.fix}`)
      .join('\n\n')
    const code = problems.every((p) => p.fix.startsWith('Rename the folder')) ? 'ROUTEWARE_INVALID_SEGMENT' : 'ROUTEWARE_ROUTE_CONFLICT'
    throw routewareError(code, { dir: dirLabel, problems: text }, { files: [...new Set(problems.flatMap((p) => p.files))] })
  }
  return routes
}

// Next 16's per-path checks, in its order (build/validate-app-paths.ts `validateAppRoute`): the
// first problem of a path is reported, as Next throws on it.
function checkRoute(route: RouteDefinition, problems: Problem[]): void {
  const fail = (message: string, fix: string) => {
    problems.push({ message, files: [route.file], fix })
  }
  const names = new Set<string>()
  // Param names with the non-word characters (JS `\W`) removed: Next refuses two that collide.
  const normalized = new Map<string, string>()
  let catchAll = false
  let optional = false
  let position = -1
  for (const [index, segment] of route.segments.entries()) {
    if (segment.kind !== 'static') {
      // A second catch-all after one: Next 16's own loop misses it, the sorted-routes pass after it refuses it.
      // (A required then an optional one gets validate-app-paths' "both" message below.)
      if ((catchAll || optional) && segment.kind !== 'dynamic' && !(catchAll && !optional && segment.kind === 'optionalCatchAll')) {
        return fail(`Catch-all must be the last part of the URL in route "${route.path}".`, 'Keep a single catch-all, at the end of the path.')
      }
      if (segment.kind === 'catchAll') catchAll = true
      if (segment.kind === 'optionalCatchAll') optional = true
      if (segment.kind !== 'dynamic') position = index
      if (names.has(segment.name)) {
        return fail(`You cannot have the same slug name "${segment.name}" repeat within a single dynamic path in route "${route.path}".`, `Rename one of the "${segment.name}" params.`)
      }
      const bare = segment.name.replace(/\W/g, '')
      if (normalized.has(bare)) {
        return fail(
          `You cannot have the slug names "${normalized.get(bare)}" and "${segment.name}" differ only by non-word symbols within a single dynamic path in route "${route.path}".`,
          'Rename one of the params so that their letters, digits and underscores differ.',
        )
      }
      names.add(segment.name)
      normalized.set(bare, segment.name)
    }
    if ((catchAll || optional) && index > position) {
      const last = route.segments[position]!
      return fail(
        `${catchAll ? 'Catch-all' : 'Optional catch-all'} must be the last part of the URL in route "${route.path}".`,
        `Move "${formatSegment(last)}" to the end of the path, or make it a single [${(last as { name: string }).name}] param.`,
      )
    }
  }
  if (catchAll && optional) {
    fail(`You cannot use both a required and optional catch-all route at the same level in route "${route.path}".`, 'Keep only one catch-all in the path.')
  }
}

function checkSiblings(routes: RouteDefinition[], problems: Problem[]): void {
  // Same URL shape: identical paths conflict, different param names are ambiguous.
  const byShape = new Map<string, RouteDefinition[]>()
  for (const route of routes) {
    const shape = '/' + route.segments.map(formatShape).join('/')
    const list = byShape.get(shape)
    if (list) list.push(route)
    else byShape.set(shape, [route])
  }
  for (const [shape, list] of byShape) {
    if (list.length < 2) continue
    const byPath = new Map<string, RouteDefinition[]>()
    for (const route of list) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route])
    if (byPath.size > 1) {
      const paths = [...byPath.keys()].sort()
      problems.push({
        message:
          `Ambiguous app routes detected:\n\nAmbiguous route pattern "${shape}" matches multiple routes:\n` +
          paths.map((p) => `  - ${p}`).join('\n') +
          '\n\nThese routes cannot be distinguished from each other when matching URLs. Please ensure that dynamic segments have unique patterns or use different static segments.',
        files: list.map((r) => r.file),
        fix: 'Give the params at the same position the same name, or move one route under a different static segment.',
      })
      continue
    }
    const route = list.find((r) => !r.metadata)
    const metadata = list.find((r) => r.metadata)
    if (route && metadata) {
      // Next: a route file and a metadata file for one URL (`app/robots.txt/route.ts` beside `app/robots.ts`).
      problems.push({
        message: `Conflicting route and metadata at ${route.path}: route at ${route.appPath}/route and metadata at ${metadataLabel(metadata)}`,
        files: [route.file, metadata.file],
        fix: 'Keep either the route file or the metadata file for this URL.',
      })
      continue
    }
    const [first, second] = [...list].sort((a, b) => (a.appPath < b.appPath ? 1 : a.appPath > b.appPath ? -1 : 0))
    problems.push({
      message: `Conflicting routes at ${first!.path}: route at ${label(first!)} and route at ${label(second!)}`,
      files: list.map((r) => r.file),
      fix: 'Keep one route file for this path: remove or move the others (route groups do not change the URL).',
    })
  }

  // Per parent path: an optional catch-all beside a route, or beside a required catch-all.
  const byParent = new Map<string, { own?: RouteDefinition; catchAll?: RouteDefinition; optional?: RouteDefinition }>()
  const slot = (key: string) => {
    let entry = byParent.get(key)
    if (!entry) byParent.set(key, (entry = {}))
    return entry
  }
  for (const route of routes) {
    const last = route.segments.at(-1)
    const parentShape = '/' + route.segments.slice(0, last && last.kind !== 'static' && last.kind !== 'dynamic' ? -1 : undefined).map(formatShape).join('/')
    if (last?.kind === 'catchAll') slot(parentShape).catchAll ??= route
    else if (last?.kind === 'optionalCatchAll') slot(parentShape).optional ??= route
    else slot(parentShape).own ??= route
  }
  for (const [parentShape, { own, catchAll, optional }] of byParent) {
    if (!optional) continue
    if (own) {
      // Next 16 prints the optional catch-all's parent with its param names erased: "/[*]/x/[[...rest]]".
      const name = (optional.segments.at(-1) as { name: string }).name
      problems.push({
        message: `You cannot define a route with the same specificity as an optional catch-all route ("${own.path}" and "${parentShape === '/' ? '' : parentShape}/[[...${name}]]").`,
        files: [own.file, optional.file],
        fix: `Remove one of them, or make the optional catch-all a required one ([...${name}]).`,
      })
    }
    if (catchAll) {
      // Next 16 still runs sorted-routes.ts over the paths; its wording, typos included.
      const [first, second] = [catchAll, optional].sort((a, b) => (a.relFile < b.relFile ? -1 : 1))
      const message =
        first === catchAll
          ? `You cannot use both an required and optional catch-all route at the same level ("${formatSegment(catchAll.segments.at(-1)!)}" and "${formatSegment(optional.segments.at(-1)!)}" ).`
          : `You cannot use both an optional and required catch-all route at the same level ("${formatSegment(optional.segments.at(-1)!)}" and "${formatSegment(catchAll.segments.at(-1)!)}").`
      problems.push({ message, files: [first!.file, second!.file], fix: 'Keep only one catch-all folder at this level.' })
    }
  }
}

/** How Next names a route in a conflict: `/(a)/dup/route`; a metadata file by its URL, `/robots.txt/route`. */
function label(route: RouteDefinition): string {
  return route.metadata ? metadataLabel(route) : `${route.appPath}/route`
}

function metadataLabel(route: RouteDefinition): string {
  const own = route.segments.length - (route.appPath === '' ? 0 : route.appPath.split('/').filter((f) => !/^\(.*\)$/.test(f) && !f.startsWith('@')).length - 1)
  const tail = route.segments.slice(route.segments.length - own).map(formatSegment).join('/')
  return `${route.appPath}/${tail}/route`
}
