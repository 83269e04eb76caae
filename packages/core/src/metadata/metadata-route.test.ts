import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildRoutes } from '../tree/build.js'
import { metadataFile } from './conventions.js'
import { codeMetadataExports, staticMetadataExports } from './metadata-route.js'

const dir = mkdtempSync(join(tmpdir(), 'routeware-metadata-route-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function definition(relFile: string, source = '') {
  const metadata = metadataFile(relFile, () => source)!
  const [route] = buildRoutes([{ relFile, file: join(dir, relFile), metadata }], dir)
  return { ...route!, metadata }
}

describe('metadata routes as route handlers', () => {
  it("refuses an Open Graph image file past 8 MB with Next's message", async () => {
    writeFileSync(join(dir, 'opengraph-image.png'), Buffer.alloc(8 * 1024 * 1024 + 1))
    await expect(staticMetadataExports(definition('opengraph-image.png'), false)).rejects.toThrow(/^File size for Open Graph image ".*opengraph-image\.png" exceeds 8MB\. \(Current: 8\.00MB\)/)
  })

  it('a Twitter image past 5 MB likewise; an icon of any size is served', async () => {
    writeFileSync(join(dir, 'twitter-image.png'), Buffer.alloc(5 * 1024 * 1024 + 1))
    await expect(staticMetadataExports(definition('twitter-image.png'), false)).rejects.toThrow(/^File size for Twitter image/)
    writeFileSync(join(dir, 'icon.png'), Buffer.alloc(9 * 1024 * 1024))
    const exports = await staticMetadataExports(definition('icon.png'), true)
    const response = (await exports.handlers.GET!(undefined as never, { params: undefined })) as Response
    expect(response.headers.get('cache-control')).toBe('no-cache, no-store')
    expect((await response.arrayBuffer()).byteLength).toBe(9 * 1024 * 1024)
  })

  it("a metadata module without a default export gets Next's error", () => {
    expect(() => codeMetadataExports(definition('robots.ts'), { revalidate: 60 })).toThrow(`Default export is missing in ${JSON.stringify(join(dir, 'robots.ts'))}`)
  })

  it("generateSitemaps entries without an id get Next's error when the sitemap is asked for", async () => {
    const exports = codeMetadataExports(definition('sitemap.ts', 'export function generateSitemaps() {}'), { default: () => [], generateSitemaps: () => [{ id: 1 }, {}] })
    await expect(Promise.resolve(exports.handlers.GET!(undefined as never, { params: Promise.resolve({ __metadata_id__: '1.xml' }) }))).rejects.toThrow('id property is required for every item returned from generateSitemaps')
  })

  it('keeps the segment config the module exports, never its generators', () => {
    const exports = codeMetadataExports(definition('sitemap.ts'), { default: () => [], revalidate: 60, dynamic: 'force-dynamic', generateStaticParams: () => [] })
    expect(exports.config).toEqual({ revalidate: 60, dynamic: 'force-dynamic' })
    expect(exports.allow).toBe('GET, HEAD, OPTIONS')
  })
})
