/**
 * `MetadataRoute`: the types of what `sitemap.ts`, `robots.ts` and `manifest.ts` return, the same
 * shapes as Next.js's (`import type { MetadataRoute } from 'next'`), so a file moved from a Next
 * app type-checks unchanged.
 */

type OneOrMany<T> = T | T[]

interface RobotsRule {
  allow?: OneOrMany<string> | undefined
  disallow?: OneOrMany<string> | undefined
  crawlDelay?: number | undefined
  /** Other per-agent directives, written as `key: value` lines (`{ 'Request-Rate': '10/1m' }`). */
  other?: Record<string, string | number | Array<string | number>> | undefined
}

interface SitemapVideo {
  title: string
  thumbnail_loc: string
  description: string
  content_loc?: string | undefined
  player_loc?: string | undefined
  duration?: number | undefined
  expiration_date?: Date | string | undefined
  rating?: number | undefined
  view_count?: number | undefined
  publication_date?: Date | string | undefined
  family_friendly?: 'yes' | 'no' | undefined
  restriction?: { relationship: 'allow' | 'deny'; content: string } | undefined
  platform?: { relationship: 'allow' | 'deny'; content: string } | undefined
  requires_subscription?: 'yes' | 'no' | undefined
  uploader?: { info?: string | undefined; content?: string | undefined } | undefined
  live?: 'yes' | 'no' | undefined
  tag?: string | undefined
}

interface ManifestIcon {
  src: string
  type?: string | undefined
  sizes?: string | undefined
  purpose?: 'any' | 'maskable' | 'monochrome' | undefined
}

type ClientMode = 'auto' | 'focus-existing' | 'navigate-existing' | 'navigate-new'
type Display = 'fullscreen' | 'standalone' | 'minimal-ui' | 'browser'

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace MetadataRoute {
  /** What `robots.ts` returns. */
  type Robots = {
    rules: (RobotsRule & { userAgent?: OneOrMany<string> | undefined }) | Array<RobotsRule & { userAgent: OneOrMany<string> }>
    sitemap?: OneOrMany<string> | undefined
    host?: string | undefined
  }
  /** What `sitemap.ts` returns: one entry per URL. */
  type Sitemap = Array<{
    url: string
    lastModified?: string | Date | undefined
    changeFrequency?: 'always' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'never' | undefined
    priority?: number | undefined
    alternates?: { languages?: Record<string, string | undefined> | undefined } | undefined
    images?: string[] | undefined
    videos?: SitemapVideo[] | undefined
  }>
  /** What `manifest.ts` returns: a Web App Manifest. */
  type Manifest = {
    background_color?: string | undefined
    categories?: string[] | undefined
    description?: string | undefined
    dir?: 'ltr' | 'rtl' | 'auto' | undefined
    display?: Display | undefined
    display_override?: Array<Display | 'window-controls-overlay'> | undefined
    file_handlers?: Array<{ action: string; accept: Record<string, string[]> }> | undefined
    icons?: ManifestIcon[] | undefined
    id?: string | undefined
    lang?: string | undefined
    launch_handler?: { client_mode: ClientMode | ClientMode[] } | undefined
    name?: string | undefined
    orientation?: 'any' | 'natural' | 'landscape' | 'portrait' | 'portrait-primary' | 'portrait-secondary' | 'landscape-primary' | 'landscape-secondary' | undefined
    prefer_related_applications?: boolean | undefined
    protocol_handlers?: Array<{ protocol: string; url: string }> | undefined
    related_applications?: Array<{ platform: string; url: string; id?: string | undefined }> | undefined
    scope?: string | undefined
    screenshots?: Array<{ form_factor?: 'narrow' | 'wide' | undefined; label?: string | undefined; platform?: string | undefined; src: string; type?: string | undefined; sizes?: string | undefined }> | undefined
    share_target?:
      | {
          action: string
          method?: 'get' | 'post' | 'GET' | 'POST' | undefined
          enctype?: 'application/x-www-form-urlencoded' | 'multipart/form-data' | undefined
          params: { title?: string | undefined; text?: string | undefined; url?: string | undefined; files?: OneOrMany<{ name: string; accept: OneOrMany<string> }> | undefined }
        }
      | undefined
    short_name?: string | undefined
    shortcuts?: Array<{ name: string; short_name?: string | undefined; description?: string | undefined; url: string; icons?: ManifestIcon[] | undefined }> | undefined
    start_url?: string | undefined
    theme_color?: string | undefined
  }
}
