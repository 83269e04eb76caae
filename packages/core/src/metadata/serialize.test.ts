import { describe, expect, it } from 'vitest'
import { serializeManifest, serializeRobots, serializeSitemap } from './serialize.js'

describe("metadata files written as Next writes them (resolve-route-data.ts)", () => {
  it('robots: one rule without a user agent is for *; Host and Sitemap lines follow the blocks', () => {
    expect(serializeRobots({ rules: { allow: ['/a', '/b'] }, sitemap: ['https://x/1.xml', 'https://x/2.xml'] })).toBe('User-Agent: *\nAllow: /a\nAllow: /b\n\nSitemap: https://x/1.xml\nSitemap: https://x/2.xml\n')
    expect(serializeRobots({ rules: [] })).toBe('')
  })

  it('sitemap: videos with their optional fields, each on its line', () => {
    const xml = serializeSitemap([
      { url: 'https://x/v', videos: [{ title: 'T', thumbnail_loc: 'https://x/t.jpg', description: 'D', duration: 60, family_friendly: 'yes', restriction: { relationship: 'allow', content: 'FR' }, uploader: { info: 'https://x/u', content: 'U' } }] },
    ])
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">\n<url>\n<loc>https://x/v</loc>\n' +
        '<video:video>\n<video:title>T</video:title>\n<video:thumbnail_loc>https://x/t.jpg</video:thumbnail_loc>\n<video:description>D</video:description>\n<video:duration>60</video:duration>\n<video:family_friendly>yes</video:family_friendly>\n<video:restriction relationship="allow">FR</video:restriction>\n<video:uploader info="https://x/u">U</video:uploader>\n</video:video>\n' +
        '</url>\n</urlset>\n',
    )
  })

  it('sitemap: a Date lastModified as ISO, a string as given; priority 0 kept', () => {
    expect(serializeSitemap([{ url: 'u', lastModified: new Date(0), priority: 0 }, { url: 'v', lastModified: '2026-01-01' }])).toContain('<lastmod>1970-01-01T00:00:00.000Z</lastmod>\n<priority>0</priority>\n</url>\n<url>\n<loc>v</loc>\n<lastmod>2026-01-01</lastmod>\n</url>')
  })

  it('manifest: JSON', () => {
    expect(serializeManifest({ name: 'A', icons: [{ src: '/i.png' }] })).toBe('{"name":"A","icons":[{"src":"/i.png"}]}')
  })
})
