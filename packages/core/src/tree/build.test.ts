import { describe, expect, it } from 'vitest'
import { RoutewareError } from '../errors.js'
import { buildRoutes, type RouteFile } from './build.js'
import { metadataFile } from '../metadata/conventions.js'

const DIR = '/srv/app'
const files = (...rel: string[]): RouteFile[] => rel.map((r) => ({ relFile: `${r}/route.ts`.replace(/^\//, ''), file: `${DIR}/${r}/route.ts`.replace('//', '/') }))
const file = (rel: string) => `${DIR}/${rel}/route.ts`.replace('//', '/')

/** Run `buildRoutes`, expecting it to refuse the tree; returns the error. */
function refuse(rel: string[]): RoutewareError {
  try {
    buildRoutes(files(...rel), DIR)
  } catch (error) {
    expect(error).toBeInstanceOf(RoutewareError)
    return error as RoutewareError
  }
  throw new Error(`expected ${rel.join(' + ')} to be refused`)
}

/** The error names every involved file, in `files` and in the message. */
function expectFiles(error: RoutewareError, involved: string[]) {
  expect([...error.files].sort()).toEqual(involved.map(file).sort())
  for (const rel of involved) expect(error.message).toContain(file(rel))
}

describe('buildRoutes: accepted trees', () => {
  it('maps folders to URL paths (Next B1)', () => {
    const routes = buildRoutes(files('', 'users', 'users/[id]', 'docs/[...slug]', 'shop/[[...rest]]', 'api/hello.json'), DIR)
    expect(routes.map((r) => [r.path, r.relFile]).sort()).toEqual([
      ['/', 'route.ts'],
      ['/api/hello.json', 'api/hello.json/route.ts'],
      ['/docs/[...slug]', 'docs/[...slug]/route.ts'],
      ['/shop/[[...rest]]', 'shop/[[...rest]]/route.ts'],
      ['/users', 'users/route.ts'],
      ['/users/[id]', 'users/[id]/route.ts'],
    ])
    const root = routes.find((r) => r.path === '/')!
    expect(root).toMatchObject({ file: file(''), appPath: '', segments: [] })
    expect(routes.find((r) => r.path === '/users/[id]')!.segments).toEqual([
      { kind: 'static', value: 'users' },
      { kind: 'dynamic', name: 'id' },
    ])
  })

  it('drops (group) and @slot folders from the URL but keeps them in appPath', () => {
    const routes = buildRoutes(files('basic/(grouped)/endpoint/nested', '@modal/login', '(marketing)'), DIR)
    expect(routes.map((r) => [r.path, r.appPath]).sort()).toEqual([
      ['/', '/(marketing)'],
      ['/basic/endpoint/nested', '/basic/(grouped)/endpoint/nested'],
      ['/login', '/@modal/login'],
    ])
  })

  it('drops every route under a _private folder, and reads %5F as a literal underscore (Next B2)', () => {
    const routes = buildRoutes(files('_lib', '_components/button', 'api/_internal/[id]', 'api/_internal/[cid]', '%5Fpublic', 'api/ok'), DIR)
    expect(routes.map((r) => r.path).sort()).toEqual(['/_public', '/api/ok'])
  })

  it('does not check what sits under a _private folder', () => {
    expect(() => buildRoutes(files('_drafts/[...a]/b', '_drafts/[[blog]]'), DIR)).not.toThrow()
  })

  it.each([
    [['blog/[id]', 'blog/[cid]/comments']],
    [['[hello-world]/a', '[helloworld]/b']],
    [['blog/[id]', 'blog/[id]/comments/[cid]', 'blog/abc', 'blog/[...rest]']],
    [['p/[[...opt]]', 'p/x']],
    [['(a)/one', '(b)/two']],
  ])('accepts %j, as Next 16 does', (tree) => {
    expect(buildRoutes(files(...tree), DIR)).toHaveLength(tree.length)
  })
})

describe('buildRoutes: refusals with Next 16 messages', () => {
  it('different slug names at one level: Ambiguous app routes detected', () => {
    const error = refuse(['blog/[id]', 'blog/[cid]'])
    expect(error.code).toBe('ROUTEWARE_ROUTE_CONFLICT')
    expect(error.message).toContain('Ambiguous app routes detected:')
    expect(error.message).toContain('Ambiguous route pattern "/blog/[*]" matches multiple routes:')
    expect(error.message).toContain('/blog/[cid]')
    expect(error.message).toContain('/blog/[id]')
    expect(error.message).toContain(
      'These routes cannot be distinguished from each other when matching URLs. Please ensure that dynamic segments have unique patterns or use different static segments.',
    )
    expect(error.message).not.toContain('You cannot use different slug names')
    expectFiles(error, ['blog/[id]', 'blog/[cid]'])
  })

  it('different catch-all names at one level are ambiguous too', () => {
    const error = refuse(['docs/[...a]', 'docs/[...b]'])
    expect(error.message).toContain('Ambiguous route pattern "/docs/[...*]" matches multiple routes:')
    expectFiles(error, ['docs/[...a]', 'docs/[...b]'])
  })

  it('an optional catch-all beside a route', () => {
    const error = refuse(['sub', 'sub/[[...all]]'])
    expect(error.message).toContain('You cannot define a route with the same specificity as an optional catch-all route ("/sub" and "/sub/[[...all]]").')
    expectFiles(error, ['sub', 'sub/[[...all]]'])
  })

  it('an optional catch-all beside the root route', () => {
    const error = refuse(['', '[[...all]]'])
    expect(error.message).toContain('You cannot define a route with the same specificity as an optional catch-all route ("/" and "/[[...all]]").')
    expectFiles(error, ['', '[[...all]]'])
  })

  it('an optional catch-all beside a route reached through a group', () => {
    const error = refuse(['(a)/sub', 'sub/[[...all]]'])
    expect(error.message).toContain('("/sub" and "/sub/[[...all]]")')
    expectFiles(error, ['(a)/sub', 'sub/[[...all]]'])
  })

  it('two groups resolving to one path', () => {
    const error = refuse(['(a)/dup', '(b)/dup'])
    expect(error.message).toContain('Conflicting routes at /dup: route at /(b)/dup/route and route at /(a)/dup/route')
    expectFiles(error, ['(a)/dup', '(b)/dup'])
  })

  it('a group and the plain folder resolving to one path', () => {
    const error = refuse(['(a)/dup', 'dup'])
    expect(error.message).toContain('Conflicting routes at /dup: route at ')
    expect(error.message).toContain('route at /dup/route')
    expect(error.message).toContain('route at /(a)/dup/route')
    expectFiles(error, ['(a)/dup', 'dup'])
  })

  it('a catch-all that is not last', () => {
    const error = refuse(['docs/[...rest]/more'])
    expect(error.message).toContain('Catch-all must be the last part of the URL in route "/docs/[...rest]/more".')
    expectFiles(error, ['docs/[...rest]/more'])
  })

  it('a repeated slug name', () => {
    const error = refuse(['blog/[id]/comments/[id]'])
    expect(error.message).toContain('You cannot have the same slug name "id" repeat within a single dynamic path in route "/blog/[id]/comments/[id]".')
    expectFiles(error, ['blog/[id]/comments/[id]'])
  })

  it('an optional catch-all that is not last', () => {
    const error = refuse(['docs/[[...rest]]/more'])
    expect(error.message).toContain('Optional catch-all must be the last part of the URL in route "/docs/[[...rest]]/more".')
    expectFiles(error, ['docs/[[...rest]]/more'])
  })

  it('slug names that differ only by non-word symbols in one path', () => {
    const error = refuse(['[hello-world]/[helloworld]'])
    expect(error.message).toContain(
      'You cannot have the slug names "hello-world" and "helloworld" differ only by non-word symbols within a single dynamic path in route "/[hello-world]/[helloworld]".',
    )
    expectFiles(error, ['[hello-world]/[helloworld]'])
    // A repeat is reported as a repeat, not twice.
    expect(refuse(['[a]/[a]']).message).not.toContain('non-word symbols')
  })

  it('an optional catch-all beside a route under a param: the parent is printed with names erased', () => {
    const error = refuse(['[locale]/mypage', '[locale]/mypage/[[...path]]'])
    expect(error.message).toContain('You cannot define a route with the same specificity as an optional catch-all route ("/[locale]/mypage" and "/[*]/mypage/[[...path]]").')
    expectFiles(error, ['[locale]/mypage', '[locale]/mypage/[[...path]]'])
  })

  it('a repeated slug name in a catch-all', () => {
    const error = refuse(['blog/[id]/[...id]'])
    expect(error.message).toContain('You cannot have the same slug name "id" repeat within a single dynamic path in route "/blog/[id]/[...id]".')
  })

  it('a required and an optional catch-all at one level', () => {
    const error = refuse(['docs/[...one]', 'docs/[[...one]]'])
    // Not in Next 16's validate-app-paths: the sorted-routes.ts pass after it refuses it, typos included.
    expect(error.message).toContain('You cannot use both an required and optional catch-all route at the same level ("[...one]" and "[[...one]]" ).')
    expectFiles(error, ['docs/[...one]', 'docs/[[...one]]'])
  })

  it('a refused folder name, naming the file', () => {
    const error = refuse(['blog/[[blog]]'])
    expect(error.code).toBe('ROUTEWARE_INVALID_SEGMENT')
    expect(error.message).toContain('Optional route parameters are not yet supported ("[[blog]]") in route "/blog/[[blog]]".')
    expectFiles(error, ['blog/[[blog]]'])
  })

  it('a required then an optional catch-all in one path', () => {
    const error = refuse(['docs/[...a]/[[...b]]'])
    expect(error.message).toContain('You cannot use both a required and optional catch-all route at the same level in route "/docs/[...a]/[[...b]]".')
  })

  it('reports every problem of the tree at once', () => {
    const error = refuse(['(a)/dup', '(b)/dup', 'docs/[...rest]/more', 'x/[…id]'])
    expect(error.message).toContain('Conflicting routes at /dup')
    expect(error.message).toContain('Catch-all must be the last part of the URL')
    expect(error.message).toContain("Detected a three-dot character ('…')")
    expectFiles(error, ['(a)/dup', '(b)/dup', 'docs/[...rest]/more', 'x/[…id]'])
  })

  it('names the app directory', () => {
    expect(refuse(['(a)/dup', '(b)/dup']).message).toContain(DIR)
  })
})

describe('buildRoutes: metadata files (issue #16)', () => {
  const meta = (relFile: string, source = ''): RouteFile => {
    const found = metadataFile(relFile, () => source)
    if (!found) throw new Error(`${relFile} is no metadata file`)
    return { relFile, file: `${DIR}/${relFile}`, metadata: found }
  }

  it("serves each at Next's URL: text routes with their extension, code images without, static files as named", () => {
    const routes = buildRoutes(
      [
        meta('sitemap.ts'),
        meta('robots.ts'),
        meta('manifest.ts'),
        meta('blog/sitemap.ts'),
        meta('products/sitemap.ts', 'export async function generateSitemaps() { return [{ id: 0 }] }'),
        meta('opengraph-image.tsx'),
        meta('about/twitter-image.tsx'),
        meta('gallery/icon.tsx', 'export { generateImageMetadata } from "./x"'),
        meta('icon1.png'),
        meta('favicon.ico'),
        meta('manifest.json'),
        meta('blog/[slug]/opengraph-image.png'),
        meta('(site)/apple-icon.tsx'),
        meta('(site)/docs/sitemap.ts'),
      ],
      DIR,
    )
    expect(Object.fromEntries(routes.map((r) => [r.relFile, r.path]))).toEqual(Object.fromEntries([
      ['sitemap.ts', '/sitemap.xml'],
      ['robots.ts', '/robots.txt'],
      ['manifest.ts', '/manifest.webmanifest'],
      ['blog/sitemap.ts', '/blog/sitemap.xml'],
      ['products/sitemap.ts', '/products/sitemap/[__metadata_id__]'],
      ['opengraph-image.tsx', '/opengraph-image'],
      ['about/twitter-image.tsx', '/about/twitter-image'],
      ['gallery/icon.tsx', '/gallery/icon/[__metadata_id__]'],
      ['icon1.png', '/icon1.png'],
      ['favicon.ico', '/favicon.ico'],
      ['manifest.json', '/manifest.json'],
      ['blog/[slug]/opengraph-image.png', '/blog/[slug]/opengraph-image.png'],
      // Under a group, Next adds a hash of the folder path (never to a sitemap).
      ['(site)/apple-icon.tsx', '/apple-icon-12o0cb'],
      ['(site)/docs/sitemap.ts', '/docs/sitemap.xml'],
    ]))
  })

  it("refuses a route file and a metadata file for one URL with Next's message", () => {
    let error: RoutewareError | undefined
    try {
      buildRoutes([meta('robots.ts'), ...files('robots.txt')], DIR)
    } catch (e) {
      error = e as RoutewareError
    }
    expect(error?.code).toBe('ROUTEWARE_ROUTE_CONFLICT')
    expect(error?.message).toContain('Conflicting route and metadata at /robots.txt: route at /robots.txt/route and metadata at /robots.txt/route')
    expect([...error!.files].sort()).toEqual([`${DIR}/robots.ts`, file('robots.txt')].sort())
  })

  it('refuses two metadata files for one URL (robots.ts beside robots.txt)', () => {
    expect(() => buildRoutes([meta('robots.ts'), meta('robots.txt')], DIR)).toThrow('Conflicting routes at /robots.txt')
  })
})
