import { describe, expect, it } from 'vitest'
import { compileMatchers, describeMatcher, matchesAny, type ConditionSource } from './proxy-matcher.js'

const request = (headers: Record<string, string> = {}, query = ''): ConditionSource => ({
  header: (name) => headers[name],
  query: () => query,
  host: () => headers.host,
})
const runs = (matcher: unknown, path: string, req = request()) => matchesAny(compileMatchers(matcher), path, req, (r) => r)

describe("proxy matchers: Next's path-to-regexp 6 semantics", () => {
  it('named params with modifiers: `*` zero or more segments, `+` one or more, `?` optional', () => {
    expect(['/api', '/api/a', '/api/a/b'].map((p) => runs('/api/:path*', p))).toEqual([true, true, true])
    expect(runs('/api/:path*', '/apix')).toBe(false)
    expect(['/api', '/api/a', '/api/a/b'].map((p) => runs('/api/:path+', p))).toEqual([false, true, true])
    expect(['/u', '/u/1', '/u/1/2'].map((p) => runs('/u/:id?', p))).toEqual([true, true, false])
  })

  it('custom regular expressions on params, and regex groups with a negative lookahead (Next\'s template)', () => {
    expect(runs('/user/:id(\\d+)', '/user/42')).toBe(true)
    expect(runs('/user/:id(\\d+)', '/user/abc')).toBe(false)
    const template = '/((?!api|_next/static|_next/image|favicon.ico).*)'
    expect(['/', '/about', '/a/b', '/api/x', '/_next/static/c.js', '/favicon.ico'].map((p) => runs(template, p))).toEqual([true, true, true, false, false, false])
  })

  it('anchored at the start, case-sensitive, with a trailing slash and the `.json` data path allowed, as Next compiles them', () => {
    expect(runs('/about', '/x/about')).toBe(false)
    expect(runs('/about', '/About')).toBe(false)
    expect(runs('/about', '/about/')).toBe(true)
    expect(runs('/about', '/about.json')).toBe(true)
    expect(runs('/', '/')).toBe(true)
    expect(runs('/', '/index')).toBe(true)
    expect(runs('/', '/about')).toBe(false)
  })

  it('has / missing: header (value a regular expression, whole-value), cookie, query (last value), host (no port)', () => {
    const m = { source: '/x', has: [{ type: 'header', key: 'X-Flag', value: '(?<v>on|yes)' }] }
    expect(runs(m, '/x', request({ 'x-flag': 'on' }))).toBe(true)
    expect(runs(m, '/x', request({ 'x-flag': 'only' }))).toBe(false)
    expect(runs(m, '/x', request())).toBe(false)
    const cookie = { source: '/x', missing: [{ type: 'cookie', key: 'skip' }] }
    expect(runs(cookie, '/x', request({ cookie: 'a=1; skip=1' }))).toBe(false)
    expect(runs(cookie, '/x', request({ cookie: 'a=1' }))).toBe(true)
    const query = { source: '/x', has: [{ type: 'query', key: 'v', value: '2' }] }
    expect(runs(query, '/x', request({}, 'v=1&v=2'))).toBe(true)
    expect(runs(query, '/x', request({}, 'v=2&v=1'))).toBe(false)
    const host = { source: '/x', has: [{ type: 'host', value: 'example\\.com' }] }
    expect(runs(host, '/x', request({ host: 'Example.com:8080' }))).toBe(true)
    expect(runs(host, '/x', request({ host: 'other.com' }))).toBe(false)
  })

  it('refuses what Next refuses, saying which matcher and why', () => {
    expect(() => compileMatchers('api')).toThrow('config.matcher: the source "api" must start with "/"')
    expect(() => compileMatchers(['/a', 42])).toThrow('config.matcher[1] must be a path string')
    expect(() => compileMatchers('/a/:')).toThrow(/config.matcher: the source "\/a\/:" is not a valid path pattern/)
    expect(() => compileMatchers({ source: '/a', has: [{ type: 'body', key: 'x' }] })).toThrow('config.matcher.has[0].type must be "header", "cookie", "query" or "host"; got "body"')
    expect(() => compileMatchers([])).toThrow('`config.matcher` is an empty array')
  })

  it('describes a matcher for `routeware routes`', () => {
    const [m] = compileMatchers({ source: '/flag', has: [{ type: 'header', key: 'X-Flag', value: 'on' }], missing: [{ type: 'cookie', key: 'skip' }] })
    expect(describeMatcher(m!)).toBe('/flag  has header x-flag=on  missing cookie skip')
  })
})
