import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scanAppDir, scanRoutes } from './scan.js'

describe('scanRoutes', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'routeware-scan-'))
    for (const rel of [
      'route.ts',
      'a/route.mts',
      'b/route.cts',
      'c/route.js',
      'd/route.mjs',
      'e/route.cjs',
      'f/page.ts',
      'g/route.tsx',
      'g/route.d.ts',
      'h/route.jsx',
      'i/route.md',
      'i/route.ts.orig',
      'sitemap.ts',
      'robots.txt',
      'manifest.json',
      'favicon.ico',
      'blog/favicon.ico',
      'blog/robots.ts',
      'blog/sitemap.xml',
      'blog/opengraph-image2.tsx',
      'blog/opengraph-image.svg',
      'blog/icon.svg',
      'blog/apple-icon.svg',
      'blog/twitter-image.alt.txt',
      '_private/route.ts',
      '(group)/[id]/route.ts',
      '.well-known/security.txt/route.ts',
      'node_modules/pkg/route.ts',
      'x/node_modules/pkg/route.ts',
    ]) {
      mkdirSync(join(dir, rel, '..'), { recursive: true })
      writeFileSync(join(dir, rel), 'export const GET = () => new Response("x")\n')
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds route files of every supported extension, including under .well-known, but not in node_modules', async () => {
    const found = (await scanRoutes(dir)).filter((f) => !f.metadata)
    expect(found.map((f) => f.relFile)).toEqual([
      '(group)/[id]/route.ts',
      '.well-known/security.txt/route.ts',
      '_private/route.ts', // dropped later, by buildRoutes
      'a/route.mts',
      'b/route.cts',
      'c/route.js',
      'd/route.mjs',
      'e/route.cjs',
      'g/route.tsx',
      'h/route.jsx',
      'route.ts',
    ])
    for (const f of found) expect(f.file).toBe(join(dir, f.relFile))
  })

  it("finds metadata files by Next's names (robots, manifest and favicon at the root only), and lists route.* files it does not serve", async () => {
    const { files, ignored } = await scanAppDir(dir)
    const metadata = files.filter((f) => f.metadata).map((f) => [f.relFile, f.metadata!.kind, f.metadata!.code])
    expect(metadata).toEqual([
      ['blog/icon.svg', 'icon', false],
      ['blog/opengraph-image2.tsx', 'opengraph-image', true],
      ['blog/sitemap.xml', 'sitemap', false],
      ['favicon.ico', 'favicon', false],
      ['manifest.json', 'manifest', false],
      ['robots.txt', 'robots', false],
      ['sitemap.ts', 'sitemap', true],
    ])
    expect(ignored).toEqual(['i/route.md', 'i/route.ts.orig'])
  })
})
