// GET /sitemap.xml -> Next's sitemap convention: return the entries, Routeware writes the XML.
// Static: computed once at start-up (it reads no request), then served from the cache.
import type { MetadataRoute } from '@routeware/core/server'
import { posts } from './_lib/data'

const site = process.env.SITE_URL ?? 'https://routeware.example'

export default function sitemap(): MetadataRoute.Sitemap {
  return [
    { url: `${site}/about`, changeFrequency: 'yearly', priority: 0.5 },
    ...posts.map((post) => ({ url: `${site}/api/blog/${post.slug}`, lastModified: post.date, changeFrequency: 'monthly' as const })),
  ]
}
