/**
 * What `sitemap.ts`, `robots.ts` and `manifest.ts` return, written out byte for byte as Next.js
 * 16 writes it (packages/next/src/build/webpack/loaders/metadata/resolve-route-data.ts). Values
 * are written as given, as Next writes them: a URL holding `&` must come escaped (`&amp;`).
 */
import type { MetadataRoute } from './types.js'

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value])

/** `robots.txt`: one block per rule (`User-Agent` lines, then Allow, Disallow, Crawl-delay), then Host and Sitemap lines. */
export function serializeRobots(data: MetadataRoute.Robots): string {
  let out = ''
  for (const rule of list(data.rules)) {
    for (const agent of list(rule.userAgent || ['*'])) out += `User-Agent: ${agent}\n`
    if (rule.allow) for (const path of list(rule.allow)) out += `Allow: ${path}\n`
    if (rule.disallow) for (const path of list(rule.disallow)) out += `Disallow: ${path}\n`
    if (rule.crawlDelay) out += `Crawl-delay: ${rule.crawlDelay}\n`
    const other = (rule as { other?: Record<string, string | number | Array<string | number> | null | undefined> }).other
    if (other) {
      for (const [key, value] of Object.entries(other)) {
        if (value == null) continue
        for (const item of list(value)) out += `${key}: ${item}\n`
      }
    }
    out += '\n'
  }
  if (data.host) out += `Host: ${data.host}\n`
  if (data.sitemap) for (const url of list(data.sitemap)) out += `Sitemap: ${url}\n`
  return out
}

/** `sitemap.xml`: a `<urlset>` with the image, video and xhtml namespaces only when an entry uses them. */
export function serializeSitemap(data: MetadataRoute.Sitemap): string {
  const alternates = data.some((item) => Object.keys(item.alternates ?? {}).length > 0)
  const images = data.some((item) => Boolean(item.images?.length))
  const videos = data.some((item) => Boolean(item.videos?.length))
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
  if (images) out += ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
  if (videos) out += ' xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"'
  out += alternates ? ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' : '>\n'
  for (const item of data) {
    out += `<url>\n<loc>${item.url}</loc>\n`
    const languages = item.alternates?.languages
    if (languages) for (const [language, href] of Object.entries(languages)) out += `<xhtml:link rel="alternate" hreflang="${language}" href="${href}" />\n`
    if (item.images?.length) for (const image of item.images) out += `<image:image>\n<image:loc>${image}</image:loc>\n</image:image>\n`
    if (item.videos?.length) for (const video of item.videos) out += serializeVideo(video)
    if (item.lastModified) out += `<lastmod>${item.lastModified instanceof Date ? item.lastModified.toISOString() : item.lastModified}</lastmod>\n`
    if (item.changeFrequency) out += `<changefreq>${item.changeFrequency}</changefreq>\n`
    if (typeof item.priority === 'number') out += `<priority>${item.priority}</priority>\n`
    out += '</url>\n'
  }
  return out + '</urlset>\n'
}

type Video = NonNullable<MetadataRoute.Sitemap[number]['videos']>[number]

/** One `<video:video>` block: its fields on their own lines, the optional ones only when set. */
function serializeVideo(video: Video): string {
  const optional = (name: keyof Video) => (video[name] ? `<video:${name}>${String(video[name])}</video:${name}>` : undefined)
  const fields = [
    '<video:video>',
    `<video:title>${video.title}</video:title>`,
    `<video:thumbnail_loc>${video.thumbnail_loc}</video:thumbnail_loc>`,
    `<video:description>${video.description}</video:description>`,
    optional('content_loc'),
    optional('player_loc'),
    optional('duration'),
    optional('view_count'),
    optional('tag'),
    optional('rating'),
    optional('expiration_date'),
    optional('publication_date'),
    optional('family_friendly'),
    optional('requires_subscription'),
    optional('live'),
    video.restriction && `<video:restriction relationship="${video.restriction.relationship}">${video.restriction.content}</video:restriction>`,
    video.platform && `<video:platform relationship="${video.platform.relationship}">${video.platform.content}</video:platform>`,
    video.uploader && `<video:uploader${video.uploader.info ? ` info="${video.uploader.info}"` : ''}>${video.uploader.content}</video:uploader>`,
    '</video:video>\n',
  ]
  return fields.filter(Boolean).join('\n')
}

/** `manifest.webmanifest`: the object as JSON. */
export function serializeManifest(data: MetadataRoute.Manifest): string {
  return JSON.stringify(data)
}
