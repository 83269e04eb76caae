// GET /robots.txt -> Next's robots convention, written as Next writes it.
import type { MetadataRoute } from '@routeware/core/server'

const site = process.env.SITE_URL ?? 'https://routeware.example'

export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: '*', allow: '/', disallow: '/api/audit' },
    sitemap: `${site}/sitemap.xml`,
  }
}
