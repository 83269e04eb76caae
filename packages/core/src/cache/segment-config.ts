/** Segment config: validated as Next validates it (F1), then read into what the pipeline does with a GET (F2-F8). */
import { routewareError } from '../errors.js'
import type { RouteExports } from '../load/route-exports.js'
import type { Logger } from '../options.js'
import type { RouteDefinition } from '../tree/build.js'

/** How a route's GET is served. */
export interface RoutePolicy {
  /** GET responses may be stored: Next's static opt-in, no other mutating export, no unlisted-param trap. */
  cacheable: boolean
  /** `revalidate` seconds, or `false` to keep entries until `revalidatePath`. */
  revalidate: number | false
  /** `dynamic = 'force-static'`: the handler sees Next's stripped request. */
  forceStatic: boolean
  /** `dynamic = 'error'`: reading a dynamic input throws Next's error. */
  dynamicError: boolean
  /** `generateStaticParams`, when exported. */
  generateStaticParams: (() => unknown) | undefined
  /** `dynamicParams = false`: params not listed by generateStaticParams answer 404. */
  dynamicParams: boolean
  /** `maxDuration` in seconds. */
  maxDuration: number | undefined
}

const DYNAMIC = new Set(['auto', 'error', 'force-static', 'force-dynamic'])
const FETCH_CACHE = new Set(['auto', 'default-cache', 'only-cache', 'force-cache', 'force-no-store', 'default-no-store', 'only-no-store'])
const NOT_STATIC = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

/**
 * Validate the exports (Next's messages) and derive the policy. Warns for `runtime = 'edge'`.
 * `metadata`: a metadata route, static without opting in (Next prerenders them), whose own id
 * param (`/sitemap/[__metadata_id__]`) its generator lists; `hasParams` counts the folders' params.
 */
export function readPolicy(definition: RouteDefinition, exports: RouteExports, logger: Logger, metadata?: { hasParams: boolean }): RoutePolicy {
  const { config } = exports
  const route = definition.path
  const problems: string[] = []
  const { revalidate, dynamic, dynamicParams, fetchCache, runtime, preferredRegion, maxDuration, generateStaticParams } = config
  if (revalidate !== undefined && revalidate !== false && !(typeof revalidate === 'number' && Number.isInteger(revalidate) && revalidate >= 0)) {
    problems.push(`Invalid revalidate value ${JSON.stringify(revalidate)} on "${route}", must be a non-negative number or false`)
  }
  if (dynamic !== undefined && !DYNAMIC.has(dynamic as string)) problems.push(`Invalid dynamic value ${JSON.stringify(dynamic)} on "${route}", must be one of 'auto', 'error', 'force-static', 'force-dynamic'`)
  if (dynamicParams !== undefined && typeof dynamicParams !== 'boolean') problems.push(`Invalid dynamicParams value ${JSON.stringify(dynamicParams)} on "${route}", must be a boolean`)
  if (fetchCache !== undefined && !FETCH_CACHE.has(fetchCache as string)) problems.push(`Invalid fetchCache value ${JSON.stringify(fetchCache)} on "${route}"`)
  if (runtime !== undefined && runtime !== 'edge' && runtime !== 'nodejs') problems.push(`Invalid runtime value ${JSON.stringify(runtime)} on "${route}", must be 'edge' or 'nodejs'`)
  if (preferredRegion !== undefined && typeof preferredRegion !== 'string' && !(Array.isArray(preferredRegion) && preferredRegion.every((r) => typeof r === 'string'))) {
    problems.push(`Invalid preferredRegion value ${JSON.stringify(preferredRegion)} on "${route}", must be a string or an array of strings`)
  }
  if (maxDuration !== undefined && !(typeof maxDuration === 'number' && Number.isInteger(maxDuration) && maxDuration >= 0)) {
    problems.push(`Invalid maxDuration value ${JSON.stringify(maxDuration)} on "${route}", must be a non-negative number`)
  }
  if (generateStaticParams !== undefined && typeof generateStaticParams !== 'function') problems.push(`Invalid generateStaticParams on "${route}", must be a function`)
  if (problems.length > 0) {
    throw routewareError('ROUTEWARE_INVALID_EXPORT', { route, problems: problems.map((p) => `  ${p}`).join('\n'), file: definition.file }, { files: [definition.file] })
  }
  if (runtime === 'edge') {
    logger.warn(`Route ${route} (${definition.file}) exports runtime = 'edge': there is no edge runtime here, it runs on Node.js.`)
  }

  const forceStatic = dynamic === 'force-static'
  const dynamicError = dynamic === 'error'
  const optIn = metadata !== undefined || forceStatic || dynamicError || revalidate === false || (typeof revalidate === 'number' && revalidate > 0) || generateStaticParams !== undefined
  const mutating = NOT_STATIC.some((method) => exports.handlers[method] !== undefined)
  const hasParams = metadata ? metadata.hasParams : definition.segments.some((s) => s.kind !== 'static')
  // Next 16.4.6: a dynamic route without generateStaticParams is not cached at all.
  const cacheable = dynamic !== 'force-dynamic' && revalidate !== 0 && optIn && !mutating && exports.handlers.GET !== undefined && (!hasParams || generateStaticParams !== undefined)
  return {
    cacheable,
    revalidate: typeof revalidate === 'number' ? revalidate : false,
    forceStatic,
    dynamicError,
    generateStaticParams: typeof generateStaticParams === 'function' ? (generateStaticParams as () => unknown) : undefined,
    dynamicParams: dynamicParams !== false,
    maxDuration: typeof maxDuration === 'number' && maxDuration > 0 ? maxDuration : undefined,
  }
}

/** Next's `Cache-Control` for a cached response (CC; `expire`: Next's expireTime, one year, or a shorter `cacheLife()` expire read). */
export function cacheControl(revalidate: number | false, expire = 31536000): string {
  if (revalidate === false) return 's-maxage=31536000'
  return expire > revalidate ? `s-maxage=${revalidate}, stale-while-revalidate=${expire - revalidate}` : `s-maxage=${revalidate}`
}
