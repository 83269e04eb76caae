import { describe, expect, it, vi } from 'vitest'
import { buildRoutes, type RouteDefinition } from './build.js'
import { createMatcher, readParams } from './match.js'

interface R {
  definition: RouteDefinition
}

/** Route patterns (`/blog/[id]`) -> a matcher over them, as the router builds it. */
function matcherOf(paths: readonly string[]) {
  const definitions = buildRoutes(
    paths.map((p) => {
      const relFile = (p === '/' ? '' : p.slice(1) + '/') + 'route.ts'
      return { relFile, file: `/app/${relFile}` }
    }),
  )
  const matcher = createMatcher<R>(definitions.map((definition) => ({ definition })))
  const match = (url: string) => {
    const segments = url === '/' ? [] : url.slice(1).split('/')
    return matcher.match(segments)?.definition.path
  }
  return { matcher, match, definitions }
}

const definition = (path: string) => matcherOf([path]).definitions[0]!
const params = (path: string, url: string) => readParams(definition(path), url === '/' ? [] : url.slice(1).split('/'))

// Next's packages/next/src/shared/lib/router/utils/sorted-routes.test.ts, "correctly sorts required slugs".
const PRS = [
  '/',
  '/apples/[ab]/[cd]/ef',
  '/blog/abc',
  '/blog/abc/post',
  '/blog/abc/[id]',
  '/blog/[id]',
  '/blog/[id]/comments/[cid]',
  '/foo/[d]/bar/baz/[f]',
  '/p/[...rest]',
  '/p1/[[...incl]]',
  '/p2/[id]',
  '/p2/[id]/abc',
  '/p2/[...rest]',
  '/p3/[id]',
  '/p3/[id]/abc',
  '/p3/[[...rest]]',
  '/posts',
  '/posts/[id]',
  '/[root-slug]',
  '/[...rest]',
]

describe('createMatcher: precedence (Next B10)', () => {
  it("list() is page-route-sorter's order", () => {
    expect(matcherOf(PRS).matcher.list().map((r) => r.definition.path)).toEqual(PRS)
  })

  it('list() does not depend on the input order', () => {
    const shuffled = [...PRS].reverse()
    shuffled.push(shuffled.splice(3, 1)[0]!)
    expect(matcherOf(shuffled).matcher.list().map((r) => r.definition.path)).toEqual(PRS)
  })

  it('places a node’s own route before its catch-alls and statics before dynamic', () => {
    const { matcher } = matcherOf(['/a/[...x]', '/a', '/a/[id]', '/a/z', '/a/b', '/b/[[...o]]', '/b/[id]'])
    expect(matcher.list().map((r) => r.definition.path)).toEqual(['/a', '/a/b', '/a/z', '/a/[id]', '/a/[...x]', '/b/[id]', '/b/[[...o]]'])
  })

  it('first match wins, in that order', () => {
    const { match } = matcherOf(PRS)
    expect(match('/')).toBe('/')
    expect(match('/blog/abc')).toBe('/blog/abc')
    expect(match('/blog/abc/post')).toBe('/blog/abc/post')
    expect(match('/blog/abc/other')).toBe('/blog/abc/[id]')
    expect(match('/blog/xyz')).toBe('/blog/[id]')
    expect(match('/blog/xyz/comments/1')).toBe('/blog/[id]/comments/[cid]')
    expect(match('/blog/xyz/other/1')).toBe('/[...rest]')
    expect(match('/blog')).toBe('/[root-slug]')
    expect(match('/apples/1/2/ef')).toBe('/apples/[ab]/[cd]/ef')
    expect(match('/apples/1/2/eg')).toBe('/[...rest]')
    expect(match('/p')).toBe('/[root-slug]') // [...rest] needs at least one segment
    expect(match('/p/a')).toBe('/p/[...rest]')
    expect(match('/p/a/b/c')).toBe('/p/[...rest]')
    expect(match('/p1')).toBe('/p1/[[...incl]]') // [[...x]] matches the bare parent
    expect(match('/p1/a/b')).toBe('/p1/[[...incl]]')
    expect(match('/p2')).toBe('/[root-slug]')
    expect(match('/p2/1')).toBe('/p2/[id]')
    expect(match('/p2/1/abc')).toBe('/p2/[id]/abc')
    expect(match('/p2/1/abd')).toBe('/p2/[...rest]')
    expect(match('/p3')).toBe('/p3/[[...rest]]')
    expect(match('/p3/1')).toBe('/p3/[id]')
    expect(match('/p3/1/abc')).toBe('/p3/[id]/abc')
    expect(match('/p3/1/x')).toBe('/p3/[[...rest]]')
    expect(match('/posts')).toBe('/posts')
    expect(match('/posts/1')).toBe('/posts/[id]')
    expect(match('/posts/1/2')).toBe('/[...rest]')
    expect(match('/anything')).toBe('/[root-slug]')
    expect(match('/a/b/c/d')).toBe('/[...rest]')
  })

  it('static beats dynamic beats catch-all beats optional catch-all', () => {
    const { match } = matcherOf(['/s/x', '/s/[id]', '/c/x', '/c/[...all]', '/o/[id]', '/o/[[...opt]]', '/q/[...all]'])
    expect(match('/s/x')).toBe('/s/x')
    expect(match('/s/y')).toBe('/s/[id]')
    expect(match('/c/x')).toBe('/c/x')
    expect(match('/c/y')).toBe('/c/[...all]')
    expect(match('/o/y')).toBe('/o/[id]')
    expect(match('/o/y/z')).toBe('/o/[[...opt]]')
    expect(match('/o')).toBe('/o/[[...opt]]')
    expect(match('/q')).toBeUndefined()
    expect(match('/nope')).toBeUndefined()
  })

  it('backtracks from a static branch that leads nowhere', () => {
    const { match } = matcherOf(['/a/b/c', '/a/[x]/d', '/[y]/b/e'])
    expect(match('/a/b/c')).toBe('/a/b/c')
    expect(match('/a/b/d')).toBe('/a/[x]/d')
    expect(match('/a/b/e')).toBe('/[y]/b/e')
    expect(match('/a/b/f')).toBeUndefined()
  })

  it('a root optional catch-all matches /', () => {
    expect(matcherOf(['/[[...all]]']).match('/')).toBe('/[[...all]]')
    expect(matcherOf(['/[...all]']).match('/')).toBeUndefined()
  })

  it('matching cost does not grow with the number of routes: the same trie steps for 10 and 10,000 routes', () => {
    const build = (count: number) => {
      const paths = Array.from({ length: count }, (_, i) => `/r${i}/x`)
      paths.push('/users/[id]/posts')
      return matcherOf(paths).matcher
    }
    const urls = [['r5', 'x'], ['users', '42', 'posts'], ['r7', 'nope']]
    // Counted, not timed (the speed itself is bench/'s routes scenario): each step of a walk is
    // one Map lookup, so equal counts mean the walk does not depend on how many routes exist.
    const steps = (matcher: ReturnType<typeof build>) => {
      const spy = vi.spyOn(Map.prototype, 'get')
      try {
        const found = urls.map((url) => matcher.match(url) !== undefined)
        return { found, lookups: spy.mock.calls.length }
      } finally {
        spy.mockRestore()
      }
    }
    const small = steps(build(10))
    const large = steps(build(10_000))
    expect(small.found).toEqual([true, true, false])
    expect(large).toEqual(small)
  })
})

describe('readParams (Next B5, B6)', () => {
  it('reads dynamic params by position', () => {
    expect(params('/basic/[tenantID]/endpoint', '/basic/vercel/endpoint')).toEqual({ tenantID: 'vercel' })
    expect(params('/blog/[id]/comments/[cid]', '/blog/1/comments/2')).toEqual({ id: '1', cid: '2' })
  })

  it('returns catch-alls as arrays', () => {
    expect(params('/basic/[tenantID]/[...resource]', '/basic/vercel/some/other/resource')).toEqual({
      tenantID: 'vercel',
      resource: ['some', 'other', 'resource'],
    })
    expect(params('/p/[...rest]', '/p/a')).toEqual({ rest: ['a'] })
    expect(params('/p/[[...opt]]', '/p/a/b')).toEqual({ opt: ['a', 'b'] })
  })

  it('leaves an empty optional catch-all out', () => {
    const result = params('/p/[[...opt]]', '/p')
    expect(result).toEqual({})
    expect(Object.keys(result!)).toEqual([])
    expect(params('/[lang]/[[...opt]]', '/en')).toEqual({ lang: 'en' })
  })

  it('is undefined for a route without dynamic segments', () => {
    expect(params('/', '/')).toBeUndefined()
    expect(params('/a/b', '/a/b')).toBeUndefined()
  })

  it('makes __proto__ and constructor ordinary own properties, leaving Object.prototype alone', () => {
    const proto = params('/x/[__proto__]', '/x/polluted')!
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype)
    expect(Object.hasOwn(proto, '__proto__')).toBe(true)
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')).toMatchObject({ value: 'polluted', enumerable: true })
    expect(Object.keys(proto)).toEqual(['__proto__'])
    expect(JSON.parse(JSON.stringify(proto))).toEqual(JSON.parse('{"__proto__":"polluted"}'))

    const ctor = params('/x/[constructor]', '/x/polluted')!
    expect(Object.hasOwn(ctor, 'constructor')).toBe(true)
    expect(ctor.constructor).toBe('polluted')

    const all = params('/y/[...__proto__]', '/y/a/b')!
    expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).toEqual(['a', 'b'])

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype.constructor).toBe(Object)
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})
