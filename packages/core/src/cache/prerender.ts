/**
 * Start-up rendering, as `next build` prerenders (packages/next/src/export/routes/app-route.ts):
 * every cacheable GET without a dynamic segment (a one-entry list `[{}]`), and each path
 * `generateStaticParams` lists, is rendered into the cache on Routeware's own request, so the
 * first client request is already a HIT.
 */
import { routeState } from '../load/route-state.js'
import type { ResolvedRoutesOptions } from '../options.js'
import type { LoadedRoute } from '../load/load-table.js'
import { dispatch } from '../pipeline/dispatch.js'
import { readParams } from '../tree/match.js'
import { HostError, isStreamBody } from '../seam.js'
import { GeneratedSource } from './cached-request.js'
import type { RouteCache } from './serve-cached.js'

/** Whether `loadTable` renders `route` at start-up: it lists params, or it is cacheable and has none (dev never caches). */
export function prerenders(route: LoadedRoute): boolean {
  const { policy, definition } = route
  return policy.generateStaticParams !== undefined || (policy.cacheable && definition.segments.every((s) => s.kind === 'static'))
}

/**
 * Render the paths of `route` into the cache: its one path when it has no dynamic segment, else
 * the ones `generateStaticParams` lists (remembered for `dynamicParams = false`). Failures are
 * logged, naming the file; the request later runs the handler as on a MISS. Bounded in time only
 * by the route's `maxDuration`, as a request is: otherwise a handler that never answers holds
 * `ready()`, as it holds `next build`.
 */
export async function prerender(route: LoadedRoute, options: ResolvedRoutesOptions, cache: RouteCache): Promise<void> {
  const { definition } = route
  if (route.policy.generateStaticParams === undefined) return render(route, [toPath(definition.segments, {})!], options, cache)
  let list: unknown
  try {
    list = await route.policy.generateStaticParams!()
  } catch (error) {
    options.logger.error(`generateStaticParams of ${definition.file} threw; no path of ${definition.path} was prerendered:`, error)
    routeState(route).listed = new Set()
    return
  }
  const listed = new Set<string>()
  for (const params of Array.isArray(list) ? list : []) {
    const path = toPath(definition.segments, params as Record<string, unknown>)
    if (path !== undefined) listed.add(path)
  }
  routeState(route).listed = listed
  if (route.policy.cacheable) await render(route, listed, options, cache)
}

/** Render each path through `dispatch`, as a GET of Routeware's own on `http://localhost:3000`; what it stores is what a MISS would. */
async function render(route: LoadedRoute, paths: Iterable<string>, options: ResolvedRoutesOptions, cache: RouteCache): Promise<void> {
  const { definition } = route
  for (const path of paths) {
    const segments = path === '/' ? [] : path.slice(1).split('/').map(decodeURIComponent)
    try {
      const out = await dispatch({ route, params: readParams(definition, segments), options, logger: options.logger, source: new GeneratedSource(path), cache, control: cache.control, path })
      if (out instanceof HostError) throw out.error
      if (isStreamBody(out.body)) for (let chunk = await out.body.next(); chunk !== undefined; chunk = await out.body.next());
      // Next caches 2xx, 3xx and 404 at build (F4); a throw was logged by the run too, with its error.
      if (out.status >= 400 && out.status !== 404) {
        options.logger.error(`Prerendering ${path} (${definition.file}) answered ${out.status}: not cached; a request runs the handler.`)
      }
    } catch (error) {
      options.logger.error(`Prerendering ${path} (${definition.file}) failed:`, error)
    }
  }
}

/** The URL path for one `generateStaticParams` entry, or undefined when a param is missing. */
function toPath(segments: LoadedRoute['definition']['segments'], params: Record<string, unknown>): string | undefined {
  const parts: string[] = []
  for (const segment of segments) {
    if (segment.kind === 'static') {
      parts.push(encodeURIComponent(segment.value))
      continue
    }
    const value = params?.[segment.name]
    if (segment.kind === 'dynamic') {
      if (typeof value !== 'string') return undefined
      parts.push(encodeURIComponent(value))
    } else if (Array.isArray(value)) parts.push(...value.map((v) => encodeURIComponent(String(v))))
    else if (segment.kind === 'catchAll') return undefined
  }
  return '/' + parts.join('/')
}
