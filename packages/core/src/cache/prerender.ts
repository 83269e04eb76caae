/** `generateStaticParams` at startup: list the params, render each listed path into the cache, as `next build` does. */
import { routeState } from '../load/route-state.js'
import type { ResolvedRoutesOptions } from '../options.js'
import type { LoadedRoute } from '../load/load-table.js'
import { dispatch } from '../pipeline/dispatch.js'
import { readParams } from '../tree/match.js'
import { HostError, isStreamBody } from '../seam.js'
import { GeneratedSource } from './cached-request.js'
import type { RouteCache } from './serve-cached.js'

/** Render the listed paths of `route`; remember them for `dynamicParams = false`. Failures are logged. */
export async function prerender(route: LoadedRoute, options: ResolvedRoutesOptions, cache: RouteCache): Promise<void> {
  const { definition } = route
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
  if (!route.policy.cacheable) return
  for (const path of listed) {
    const segments = path === '/' ? [] : path.slice(1).split('/').map(decodeURIComponent)
    try {
      const out = await dispatch({ route, params: readParams(definition, segments), options, logger: options.logger, source: new GeneratedSource(path), cache, control: cache.control, path })
      if (out instanceof HostError) throw out.error
      if (isStreamBody(out.body)) for (let chunk = await out.body.next(); chunk !== undefined; chunk = await out.body.next());
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
