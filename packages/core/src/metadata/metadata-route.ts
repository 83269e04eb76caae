/**
 * A metadata file as a route handler, the way Next's build wraps one
 * (packages/next/src/build/webpack/loaders/next-metadata-route-loader.ts): a static file answers
 * its bytes; `sitemap.ts` / `robots.ts` / `manifest.ts` answer what their default export returns,
 * serialized; an image file answers what its default export returns (an `ImageResponse`). Each gets
 * a GET only; the module's segment config (`revalidate`, `dynamic`...) applies as to a route file.
 */
import { readFile } from 'node:fs/promises'
import type { RouteExports, RouteHandler } from '../load/route-exports.js'
import type { RouteDefinition } from '../tree/build.js'
import { METADATA_ID_PARAM, type MetadataInfo } from './conventions.js'
import { serializeManifest, serializeRobots, serializeSitemap } from './serialize.js'
import type { MetadataRoute } from './types.js'

/** Next's two Cache-Control values for metadata routes. */
export const METADATA_CACHE_CONTROL = { revalidate: 'public, max-age=0, must-revalidate', none: 'no-cache, no-store' } as const

const CONFIG_KEYS = ['dynamic', 'revalidate', 'dynamicParams', 'runtime', 'maxDuration', 'fetchCache', 'preferredRegion'] as const

/**
 * What a metadata route needs besides its exports: the params to render at start-up (as `next
 * build` prerenders every metadata route outside a dynamic folder), if any.
 */
export interface MetadataRouteExports extends RouteExports {
  /** The param lists to prerender at start-up (as `next build` does), or undefined for none. */
  prerender: (() => Promise<Array<Record<string, string>>>) | undefined
}

type Params = Record<string, string | string[]> | undefined
type Context = Parameters<RouteHandler>[1]
const paramsOf = async (context: Context) => (await context.params) as Params

const text = (body: string, contentType: string) =>
  new Response(body, { headers: { 'content-type': contentType, 'cache-control': METADATA_CACHE_CONTROL.revalidate } })
const notFound = () => new Response('Not Found', { status: 404 })

/** A static metadata file (`robots.txt`, `icon.png`): its bytes, read once at load. */
export async function staticMetadataExports(definition: RouteDefinition & { metadata: MetadataInfo }, dev: boolean): Promise<MetadataRouteExports> {
  const bytes = await readFile(definition.file)
  // Next's build refuses images social networks would refuse: Open Graph past 8 MB, Twitter past 5 MB.
  const { kind } = definition.metadata
  const limit = kind === 'twitter-image' ? 5 : kind === 'opengraph-image' ? 8 : undefined
  if (limit !== undefined && bytes.byteLength / 1024 / 1024 > limit) {
    throw new Error(
      `File size for ${kind === 'twitter-image' ? 'Twitter' : 'Open Graph'} image ${JSON.stringify(definition.file)} exceeds ${limit}MB. (Current: ${(bytes.byteLength / 1024 / 1024).toFixed(2)}MB)\n` +
        'Read more: https://nextjs.org/docs/app/api-reference/file-conventions/metadata/opengraph-image#image-files-jpg-png-gif',
    )
  }
  const headers = { 'content-type': definition.metadata.contentType, 'cache-control': dev ? METADATA_CACHE_CONTROL.none : METADATA_CACHE_CONTROL.revalidate }
  const GET: RouteHandler = () => new Response(bytes, { headers })
  return { handlers: { GET }, allow: 'GET, HEAD, OPTIONS', config: { dynamic: 'force-static' }, prerender: hasParams(definition) ? undefined : async () => [{}] }
}

/** A metadata module (`sitemap.ts`, `opengraph-image.tsx`): a GET around its default export. */
export function codeMetadataExports(definition: RouteDefinition & { metadata: MetadataInfo }, mod: Record<string, unknown>): MetadataRouteExports {
  const { kind, multi } = definition.metadata
  const handler = mod.default
  if (typeof handler !== 'function') throw new Error(`Default export is missing in ${JSON.stringify(definition.file)}`)
  const config: RouteExports['config'] = {}
  for (const key of CONFIG_KEYS) if (key in mod) config[key] = mod[key]
  const call = handler as (arg?: unknown) => unknown
  let GET: RouteHandler
  let prerender: MetadataRouteExports['prerender']
  if (kind === 'sitemap' || kind === 'robots' || kind === 'manifest') {
    const contentType = kind === 'sitemap' ? 'application/xml' : kind === 'robots' ? 'text/plain' : 'application/manifest+json'
    const serialize = (data: unknown) => (kind === 'sitemap' ? serializeSitemap(data as MetadataRoute.Sitemap) : kind === 'robots' ? serializeRobots(data as MetadataRoute.Robots) : serializeManifest(data as MetadataRoute.Manifest))
    if (multi) {
      const generate = exported(mod, 'generateSitemaps', definition.file)
      const ids = async () => idsOf(await generate(), 'generateSitemaps')
      // `/sitemap/<id>.xml`: the id without `.xml` must be one generateSitemaps lists (Next 16 hands it over as a promise).
      GET = async (_request, context: Context) => {
        const raw = (await paramsOf(context))?.[METADATA_ID_PARAM]
        const id = typeof raw === 'string' && raw.endsWith('.xml') ? raw.slice(0, -4) : undefined
        if (id === undefined || !(await ids()).includes(id)) return notFound()
        return text(serialize(await call({ id: Promise.resolve(id) })), contentType)
      }
      prerender = hasParams(definition) ? undefined : async () => (await ids()).map((id) => ({ [METADATA_ID_PARAM]: `${id}.xml` }))
    } else {
      GET = async () => text(serialize(await call()), contentType)
      prerender = hasParams(definition) ? undefined : async () => [{}]
    }
  } else if (multi) {
    const generate = exported(mod, 'generateImageMetadata', definition.file)
    // `/opengraph-image/<id>`: the id must be one generateImageMetadata lists for these params.
    GET = async (_request, context: Context) => {
      const { [METADATA_ID_PARAM]: id, ...rest } = (await paramsOf(context)) ?? {}
      const ids = idsOf(await generate({ params: rest }), 'generateImageMetadata')
      if (typeof id !== 'string' || !ids.includes(id)) return notFound()
      return call({ params: Promise.resolve(rest), id: Promise.resolve(id) })
    }
    prerender = hasParams(definition) ? undefined : async () => idsOf(await generate({ params: {} }), 'generateImageMetadata').map((id) => ({ [METADATA_ID_PARAM]: id }))
  } else {
    GET = (_request, context: Context) => call({ params: context.params })
    prerender = hasParams(definition) ? undefined : async () => [{}]
  }
  return { handlers: { GET }, allow: 'GET, HEAD, OPTIONS', config, prerender }
}

function exported(mod: Record<string, unknown>, name: string, file: string): (arg?: unknown) => Promise<unknown> {
  const fn = mod[name]
  if (typeof fn !== 'function') throw new Error(`${name} must be an exported function in ${JSON.stringify(file)}`)
  return async (arg) => (fn as (arg?: unknown) => unknown)(arg)
}

/** The ids a generator listed, as strings; Next's error for an entry without one. */
function idsOf(list: unknown, generator: string): string[] {
  return (Array.isArray(list) ? list : []).map((item: { id?: unknown } | null | undefined) => {
    if (item?.id == null) throw new Error(`id property is required for every item returned from ${generator}`)
    return String(item.id)
  })
}

/** Whether the folders above the file hold a dynamic segment (the id param is the file's own). */
export function hasParams(definition: RouteDefinition): boolean {
  return definition.segments.some((s) => s.kind !== 'static' && s.name !== METADATA_ID_PARAM)
}
