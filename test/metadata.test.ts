/**
 * Issue #16, metadata routes and images, through every target: `sitemap.ts`, `robots.ts`,
 * `manifest.ts` answered byte for byte as Next 16.4.6 writes them (checked against Next's own
 * serializer too), `generateSitemaps`, `ImageResponse` from `route.tsx`/`route.jsx` and from
 * `opengraph-image.tsx` / `twitter-image.tsx` decoded as PNGs of the requested size, static
 * metadata files served as files, and the errors: a missing renderer, a missing JSX runtime, a
 * route file and a metadata file for one URL.
 */
import { afterAll, expect } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixture, forEachTarget, forEachTargetStartup } from './_suite.js'

const root = fileURLToPath(new URL('../', import.meta.url))

/** Width and height from a PNG's IHDR chunk; throws when the bytes are no PNG. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const buffer = Buffer.from(bytes)
  if (buffer.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || buffer.subarray(12, 16).toString() !== 'IHDR') throw new Error('not a PNG')
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) }
}

/** GET through fetch, the body as bytes. */
async function get(origin: string, path: string, method = 'GET') {
  const response = await fetch(origin + path, { method })
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
}
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8')

// Next's own serializer (the real next@16.4.6 the bench installs at the workspace root), to hold
// the bytes to Next's and not only to what this file expects.
const nextRequire = createRequire(join(root, 'node_modules', 'next', 'package.json'))
const nextData = nextRequire('next/dist/build/webpack/loaders/metadata/resolve-route-data.js') as { resolveRouteData(data: unknown, type: string): string }
const appDir = fixture('metadata')
// The same literals as the fixture's sitemap.ts and robots.ts return.
const SITEMAP_DATA = [
  { url: 'https://acme.com', lastModified: new Date('2026-01-02T03:04:05.000Z'), changeFrequency: 'yearly', priority: 1 },
  { url: 'https://acme.com/about', alternates: { languages: { es: 'https://acme.com/es/about', de: 'https://acme.com/de/about' } } },
  { url: 'https://acme.com/blog', images: ['https://acme.com/image.jpg'] },
]
const SITEMAP = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url>
<loc>https://acme.com</loc>
<lastmod>2026-01-02T03:04:05.000Z</lastmod>
<changefreq>yearly</changefreq>
<priority>1</priority>
</url>
<url>
<loc>https://acme.com/about</loc>
<xhtml:link rel="alternate" hreflang="es" href="https://acme.com/es/about" />
<xhtml:link rel="alternate" hreflang="de" href="https://acme.com/de/about" />
</url>
<url>
<loc>https://acme.com/blog</loc>
<image:image>
<image:loc>https://acme.com/image.jpg</image:loc>
</image:image>
</url>
</urlset>
`
const ROBOTS_DATA = {
  rules: [
    { userAgent: ['Applebot', 'Bingbot'], allow: '/', disallow: ['/private/', '/admin/'], crawlDelay: 2 },
    { userAgent: '*', disallow: '/', other: { 'Request-Rate': '10/1m' } },
  ],
  host: 'https://acme.com',
  sitemap: 'https://acme.com/sitemap.xml',
}
const ROBOTS = 'User-Agent: Applebot\nUser-Agent: Bingbot\nAllow: /\nDisallow: /private/\nDisallow: /admin/\nCrawl-delay: 2\n\nUser-Agent: *\nDisallow: /\nRequest-Rate: 10/1m\n\nHost: https://acme.com\nSitemap: https://acme.com/sitemap.xml\n'
const MANIFEST = '{"name":"Acme","short_name":"Acme","start_url":"/","display":"standalone","icons":[{"src":"/icon.png","sizes":"32x32","type":"image/png"}]}'
const REVALIDATE = 'public, max-age=0, must-revalidate'

forEachTarget('metadata routes (issue #16)', { options: { dir: appDir } }, (t) => {
  t.test('sitemap.ts answers /sitemap.xml: exact bytes, application/xml, static (HIT from the first request)', async () => {
    expect(nextData.resolveRouteData(SITEMAP_DATA, 'sitemap')).toBe(SITEMAP)
    const res = await get(t.origin(), '/sitemap.xml')
    expect(res.status).toBe(200)
    expect(text(res.bytes)).toBe(SITEMAP)
    expect(res.headers.get('content-type')).toBe('application/xml')
    expect(res.headers.get('cache-control')).toBe(REVALIDATE)
    expect(res.headers.get('x-routeware-cache')).toBe('HIT')
  })

  t.test("robots.ts answers /robots.txt in Next's layout (two User-Agent lines in one block, Host before Sitemap)", async () => {
    expect(nextData.resolveRouteData(ROBOTS_DATA, 'robots')).toBe(ROBOTS)
    const res = await get(t.origin(), '/robots.txt')
    expect([res.status, text(res.bytes), res.headers.get('content-type'), res.headers.get('cache-control'), res.headers.get('x-routeware-cache')]).toEqual([200, ROBOTS, 'text/plain', REVALIDATE, 'HIT'])
  })

  t.test('manifest.ts answers /manifest.webmanifest as JSON, application/manifest+json', async () => {
    const res = await get(t.origin(), '/manifest.webmanifest')
    expect([res.status, text(res.bytes), res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([200, MANIFEST, 'application/manifest+json', REVALIDATE])
    expect(text(res.bytes)).toBe(nextData.resolveRouteData(JSON.parse(MANIFEST), 'manifest'))
  })

  t.test('a nested sitemap answers under its folder', async () => {
    const res = await get(t.origin(), '/blog/sitemap.xml')
    expect(text(res.bytes)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url>\n<loc>https://acme.com/blog/first</loc>\n<priority>0.5</priority>\n</url>\n</urlset>\n')
  })

  t.test('generateSitemaps: /products/sitemap/<id>.xml per id (the id a promise of the string), an unknown id a 404 "Not Found", no /products/sitemap.xml', async () => {
    for (const id of ['0', '1']) {
      const res = await get(t.origin(), `/products/sitemap/${id}.xml`)
      expect(res.status).toBe(200)
      expect(res.headers.get('x-routeware-cache')).toBe('HIT')
      expect(text(res.bytes)).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<url>\n<loc>https://acme.com/products/${id}/a</loc>\n</url>\n</urlset>\n`)
    }
    const unknown = await get(t.origin(), '/products/sitemap/7.xml')
    expect([unknown.status, text(unknown.bytes)]).toEqual([404, 'Not Found'])
    expect(unknown.headers.get('content-type')).toMatch(/^text\/plain/)
    expect((await get(t.origin(), '/products/sitemap/0')).status).toBe(404)
    expect((await get(t.origin(), '/products/sitemap.xml')).status).toBe(404)
  })

  t.test('a sitemap that reads the request (headers()) is dynamic: run for each request, never from the cache', async () => {
    for (const tenant of ['a', 'b']) {
      const response = await fetch(`${t.origin()}/tenant/sitemap.xml`, { headers: { 'x-tenant': tenant } })
      expect(await response.text()).toContain(`<loc>https://${tenant}.acme.com/</loc>`)
      expect(response.headers.get('x-routeware-cache')).toBeNull()
      expect(response.headers.get('cache-control')).toBe(REVALIDATE)
    }
  })

  t.test('HEAD of a metadata route: the headers, no body', async () => {
    const res = await get(t.origin(), '/sitemap.xml', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/xml')
    expect(res.bytes.byteLength).toBe(0)
  })

  t.test('route.tsx: an ImageResponse with the requested width and height, its own headers, Next\'s Cache-Control', async () => {
    const res = await get(t.origin(), '/og?w=300')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe(REVALIDATE)
    expect(res.headers.get('x-custom')).toBe('yes')
    expect(pngSize(res.bytes)).toEqual({ width: 300, height: 200 })
  }, [], 30000)

  t.test('ImageResponse options: fonts, status, and a Cache-Control of its own, which wins', async () => {
    const res = await get(t.origin(), '/og/custom')
    expect(res.status).toBe(203)
    expect(res.headers.get('cache-control')).toBe('public, max-age=60')
    expect(pngSize(res.bytes)).toEqual({ width: 320, height: 80 })
  }, [], 30000)

  t.test("route.jsx: an ImageResponse with Next's default size, 1200x630", async () => {
    const res = await get(t.origin(), '/api/card')
    expect(pngSize(res.bytes)).toEqual({ width: 1200, height: 630 })
  }, [], 30000)

  t.test('opengraph-image.tsx answers /opengraph-image (no extension): its size, rendered at start-up and served from the cache; ?<hash> too, .png is a 404', async () => {
    const first = await get(t.origin(), '/opengraph-image')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe('image/png')
    expect(first.headers.get('cache-control')).toBe(REVALIDATE)
    expect(first.headers.get('x-routeware-cache')).toBe('HIT')
    expect(pngSize(first.bytes)).toEqual({ width: 640, height: 320 })
    const again = await get(t.origin(), '/opengraph-image?8a1f2b')
    expect(again.headers.get('x-routeware-cache')).toBe('HIT')
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true)
    expect((await get(t.origin(), '/opengraph-image.png')).status).toBe(404)
  }, [], 30000)

  t.test('twitter-image.tsx with generateImageMetadata: one image per id at /gallery/twitter-image/<id>, an unknown id a 404', async () => {
    const small = await get(t.origin(), '/gallery/twitter-image/small')
    expect(pngSize(small.bytes)).toEqual({ width: 100, height: 50 })
    expect(small.headers.get('x-routeware-cache')).toBe('HIT')
    expect(pngSize((await get(t.origin(), '/gallery/twitter-image/large')).bytes)).toEqual({ width: 300, height: 150 })
    const unknown = await get(t.origin(), '/gallery/twitter-image/huge')
    expect([unknown.status, text(unknown.bytes)]).toEqual([404, 'Not Found'])
    expect((await get(t.origin(), '/gallery/twitter-image')).status).toBe(404)
  }, [], 30000)

  t.test("an image under a route group gets Next's hash suffix (/about/opengraph-image-1ycygp), from a .jsx file", async () => {
    const res = await get(t.origin(), '/about/opengraph-image-1ycygp')
    expect(pngSize(res.bytes)).toEqual({ width: 120, height: 60 })
  }, [], 30000)

  t.test('a route.* file with an unknown extension is not served, and a warning names it', async () => {
    expect((await get(t.origin(), '/api/card')).status).toBe(200) // route.jsx beside it serves the URL
    expect(t.logs().join('\n')).toContain(`${join(appDir, 'api/card/route.md')} is not served`)
  }, [], 30000)
})

// ------------------------------------------------------------------------------------------------
// Static metadata files

const staticDir = fixture('metadata-static')
const STATIC: Array<[string, string, string]> = [
  ['/robots.txt', 'robots.txt', 'text/plain'],
  ['/sitemap.xml', 'sitemap.xml', 'application/xml'],
  ['/manifest.json', 'manifest.json', 'application/manifest+json'],
  ['/favicon.ico', 'favicon.ico', 'image/x-icon'],
  ['/icon.png', 'icon.png', 'image/png'],
  ['/apple-icon.png', 'apple-icon.png', 'image/png'],
  ['/opengraph-image.png', 'opengraph-image.png', 'image/png'],
  ['/twitter-image.png', 'twitter-image.png', 'image/png'],
  ['/blog/opengraph-image.png', 'blog/opengraph-image.png', 'image/png'],
  // Under a group: Next's hash of the folder path before the extension.
  ['/pricing/icon1-15m7k7.png', '(marketing)/pricing/icon1.png', 'image/png'],
]

forEachTarget('static metadata files (issue #16)', { options: { dir: staticDir } }, (t) => {
  t.test("each is served as the file, with Next's content type and Cache-Control, from the static cache", async () => {
    for (const [path, file, type] of STATIC) {
      const res = await get(t.origin(), path)
      expect([path, res.status, res.headers.get('content-type'), res.headers.get('cache-control'), res.headers.get('x-routeware-cache')]).toEqual([path, 200, type, REVALIDATE, 'HIT'])
      expect(Buffer.from(res.bytes).equals(readFileSync(join(staticDir, file))), path).toBe(true)
    }
    expect(pngSize((await get(t.origin(), '/apple-icon.png')).bytes)).toEqual({ width: 180, height: 180 })
  })

  t.test('the files answer HEAD, OPTIONS and 405 as route handlers do', async () => {
    const head = await get(t.origin(), '/robots.txt', 'HEAD')
    expect([head.status, head.bytes.byteLength, head.headers.get('content-type')]).toEqual([200, 0, 'text/plain'])
    const post = await fetch(`${t.origin()}/robots.txt`, { method: 'POST' })
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD, OPTIONS'])
  })
})

forEachTarget('static metadata files in dev (issue #16)', { options: { dir: staticDir, dev: true } }, (t) => {
  t.test('no-cache, no-store, never from the cache, as next dev serves them', async () => {
    const res = await get(t.origin(), '/icon.png')
    expect([res.status, res.headers.get('cache-control'), res.headers.get('x-routeware-cache')]).toEqual([200, 'no-cache, no-store', null])
  })
})

// ------------------------------------------------------------------------------------------------
// Apps outside this repository: no React, no @vercel/og, nothing at all.

const outside = mkdtempSync(join(tmpdir(), 'routeware-metadata-'))
afterAll(() => rmSync(outside, { recursive: true, force: true }))

/** An app dir outside the workspace, with only the packages named linked into its node_modules. */
function outsideApp(name: string, links: string[], files: Record<string, string>): string {
  const project = join(outside, name)
  for (const pkg of links) {
    const target = join(project, 'node_modules', pkg)
    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(pkg === '@routeware/core' ? join(root, 'packages/core') : join(root, 'node_modules', pkg), target, 'dir')
  }
  const app = join(project, 'app')
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(dirname(join(app, file)), { recursive: true })
    writeFileSync(join(app, file), source)
  }
  return app
}

const IMAGE_ROUTE = `import { ImageResponse } from '@routeware/core/og'
export function GET() {
  return new ImageResponse(<div style={{ display: 'flex', fontSize: 40 }}><>No React here</></div>, { width: 210, height: 90 })
}
`
const noReact = outsideApp('no-react', ['@routeware/core', '@vercel/og'], { 'card/route.tsx': IMAGE_ROUTE, 'opengraph-image.jsx': IMAGE_ROUTE.replace('export function GET', 'export default function Image') })

forEachTarget('JSX without React (issue #16)', { options: { dir: noReact } }, (t) => {
  t.test("route.tsx and opengraph-image.jsx render through Routeware's own JSX runtime in an app without React", async () => {
    expect(() => createRequire(join(noReact, 'x.js')).resolve('react/jsx-runtime')).toThrow()
    expect(pngSize((await get(t.origin(), '/card')).bytes)).toEqual({ width: 210, height: 90 })
    expect(pngSize((await get(t.origin(), '/opengraph-image')).bytes)).toEqual({ width: 210, height: 90 })
  }, [], 30000)
})

forEachTarget('ImageResponse in dev (issue #16)', { options: { dir: noReact, dev: true } }, (t) => {
  t.test('answers Cache-Control: no-cache, no-store, as next dev does', async () => {
    const res = await get(t.origin(), '/card')
    expect([res.status, res.headers.get('cache-control')]).toEqual([200, 'no-cache, no-store'])
  }, [], 30000)
})

const noRenderer = outsideApp('no-renderer', ['@routeware/core'], {
  'card/route.tsx': IMAGE_ROUTE,
  'opengraph-image.tsx': IMAGE_ROUTE.replace('export function GET', 'export default function Image'),
  'robots.ts': "export default () => ({ rules: { userAgent: '*', allow: '/' } })\n",
})

forEachTarget('ImageResponse without @vercel/og installed (issue #16)', { options: { dir: noRenderer } }, (t) => {
  t.test('an image answers 500, the log names @vercel/og and the install command; the rest of the app is served', async () => {
    const res = await get(t.origin(), '/card')
    expect(res.status).toBe(500)
    const logs = t.logs().join('\n')
    expect(logs).toContain('@vercel/og')
    expect(logs).toContain('npm install @vercel/og')
    expect(logs).toContain(noRenderer)
    // A metadata image too: its start-up render failed (logged), so each request renders and fails alike.
    expect((await get(t.origin(), '/opengraph-image')).status).toBe(500)
    const robots = await get(t.origin(), '/robots.txt')
    expect([robots.status, text(robots.bytes)]).toEqual([200, 'User-Agent: *\nAllow: /\n\n'])
  }, [], 30000)
})

const noRuntime = outsideApp('no-runtime', [], { 'card/route.tsx': 'export function GET() { return new Response(String(<b />)) }\n' })

forEachTargetStartup('a JSX file whose runtime cannot be found (issue #16)', { options: { dir: noRuntime } }, (t) => {
  t.test('start-up fails naming the file and the package to install', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(error.files).toEqual([join(noRuntime, 'card/route.tsx')])
    expect(error.message).toContain(`${join(noRuntime, 'card/route.tsx')} uses JSX, and its runtime @routeware/core/jsx-runtime cannot be found from it. Install @routeware/core`)
  })
})

const conflict = outsideApp('conflict', [], {
  'robots.ts': "export default () => ({ rules: { userAgent: '*' } })\n",
  'robots.txt/route.ts': 'export const GET = () => new Response("x")\n',
})

forEachTargetStartup('a route file and a metadata file for one URL (issue #16)', { options: { dir: conflict } }, (t) => {
  t.test("is refused with Next's message, naming both files", () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_CONFLICT')
    expect(error.message).toContain('Conflicting route and metadata at /robots.txt: route at /robots.txt/route and metadata at /robots.txt/route')
    expect([...(error.files ?? [])].sort()).toEqual([join(conflict, 'robots.ts'), join(conflict, 'robots.txt/route.ts')])
  })
})
