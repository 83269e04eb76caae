/** Paths, params, precedence, groups, private folders, file formats. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import { HOST_404, HOST_ROUTE } from './_targets.js'

forEachTarget('routing', { options: { dir: fixture('basic') } }, (t) => {
  t.test('serves app/route.ts at /', async () => {
    const res = await t.http().get('/')
    expect(res.status).toBe(200)
    expect(res.text).toBe('root')
  })

  t.test('a static route gets params undefined and the full request', async () => {
    const res = await t.http().get('/hello?ping=pong&x=1').set('x-custom', 'yes')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      method: 'GET',
      pathname: '/hello',
      basePath: '',
      search: '?ping=pong&x=1',
      query: { ping: 'pong', x: '1' },
      params: null,
      paramsKey: true,
      paramsIsPromise: false,
      instanceofRequest: true,
      custom: 'yes',
    })
    expect(res.body.url).toBe(`${t.origin()}/hello?ping=pong&x=1`)
  })

  t.test('[param] is decoded once', async () => {
    const res = await t.http().get('/params/a%2520b')
    expect(res.body.params).toEqual({ id: 'a%20b' })
    expect(res.body.paramsIsPromise).toBe(true)
    expect((await t.http().get('/params/%25')).body.params).toEqual({ id: '%' })
    expect((await t.http().get('/params/a+b')).body.params).toEqual({ id: 'a+b' })
    expect((await t.http().get('/params/caf%C3%A9')).body.params).toEqual({ id: 'café' })
  })

  t.test('%2F stays inside one param', async () => {
    const res = await t.raw('GET', '/params/a%2Fb')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).params).toEqual({ id: 'a/b' })
  })

  t.test('nested params', async () => {
    const res = await t.http().get('/params/7/comments/9')
    expect(res.body.params).toEqual({ id: '7', cid: '9' })
    expect(res.body.route).toBe('/params/[id]/comments/[cid]')
  })

  t.test('[...catchAll] gives an array, split before decoding', async () => {
    const res = await t.raw('GET', '/catch/a/b%2Fc/d%20e')
    expect(JSON.parse(res.body).params).toEqual({ rest: ['a', 'b/c', 'd e'] })
    const none = await t.http().get('/catch')
    expect(none.status).toBe(404)
  })

  t.test('[[...optional]] matches the bare parent and leaves the key out', async () => {
    const bare = await t.http().get('/optional')
    expect(bare.status).toBe(200)
    expect(bare.body.params).toEqual({})
    expect(Object.keys(bare.body.params)).toEqual([])
    const deep = await t.http().get('/optional/x/y')
    expect(deep.body.params).toEqual({ rest: ['x', 'y'] })
  })

  t.test('precedence: static, then dynamic, then catch-all', async () => {
    const route = async (path: string) => (await t.http().get(path)).body.route
    expect(await route('/precedence/abc')).toBe('/precedence/abc')
    expect(await route('/precedence/abc/5')).toBe('/precedence/abc/[id]')
    expect(await route('/precedence/xyz')).toBe('/precedence/[id]')
    expect(await route('/precedence/xyz/more')).toBe('/precedence/[id]/more')
    expect(await route('/precedence/xyz/other')).toBe('/precedence/[...rest]')
    expect(await route('/precedence/abc/5/6')).toBe('/precedence/[...rest]')
  })

  t.test('(group) folders leave the URL; _private folders are not routable; %5F is a literal _', async () => {
    const grouped = await t.http().get('/grouped')
    expect(grouped.status).toBe(200)
    expect(grouped.body.pathname).toBe('/grouped')
    expect((await t.http().get('/(group)/grouped')).status).toBe(404)
    expect((await t.http().get('/_private')).status).toBe(404)
    const underscore = await t.http().get('/_underscore')
    expect(underscore.status).toBe(200)
    expect(underscore.body.route).toBe('/%5Funderscore')
  })

  t.test('dots in folder names are literal', async () => {
    const res = await t.http().get('/api/hello.json')
    expect(res.status).toBe(200)
    expect(res.body.pathname).toBe('/api/hello.json')
  })

  t.test('folders named [constructor] and [__proto__] are ordinary params and pollute nothing', async () => {
    const a = await t.http().get('/hostile/x')
    expect(a.status).toBe(200)
    expect(a.body.params).toEqual({ constructor: 'x' })
    const b = await t.http().get('/hostile2/y')
    expect(b.status).toBe(200)
    expect(b.body.paramsIsPlain).toBe(true)
    expect(JSON.stringify(b.body.params)).toBe('{"__proto__":"y"}')
    expect(({} as Record<string, unknown>).y).toBeUndefined()
  })

  t.test('route.js, route.cjs, route.mts and top-level await all load', async () => {
    expect((await t.http().get('/formats/js')).text).toBe('from js')
    expect((await t.http().get('/formats/cjs')).text).toBe('from cjs')
    expect((await t.http().get('/formats/mts')).text).toBe('from mts')
    expect((await t.http().get('/tla')).text).toBe('hello from top-level await')
  })

  t.test('a module imported by several TypeScript route files is one instance (enums work)', async () => {
    const a = (await t.http().get('/shared/a')).body
    const b = (await t.http().get('/shared/b')).body
    expect(a.id).toBe(b.id)
    expect([a.kind, b.kind]).toEqual(['a', 'b'])
  })

  t.test('a trailing slash answers 308 to the path without it, with Refresh, keeping the query', async () => {
    const res = await t.raw('GET', '/hello/?a=1')
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/hello?a=1')
    expect(res.headers.refresh).toBe('0;url=/hello?a=1')
    const post = await t.raw('POST', '/hello/')
    expect(post.status).toBe(308)
  })

  t.test('repeated slashes, dot segments and encoded unreserved characters answer 308 to the canonical route', async () => {
    for (const [path, location] of [
      ['//hello', '/hello'],
      ['/params//5', '/params/5'],
      ['/hello/./', '/hello'],
      ['/catch/../hello', '/hello'],
      ['/catch/%2e%2e/hello', '/hello'],
      ['/%68ello', '/hello'],
      ['/precedence\\abc', '/precedence/abc'],
    ]) {
      const res = await t.raw('GET', path!)
      expect(res.status, path).toBe(308)
      expect(res.headers.location, path).toBe(location)
    }
  }, ['raw-path'])

  t.test('a non-canonical path whose canonical form is no route is left to the host', async () => {
    const res = await t.raw('GET', '/nothing//here')
    expect(res.status).toBe(404)
    const dots = await t.raw('GET', '/catch/../../nowhere')
    expect(dots.status).toBe(404)
  }, ['raw-path'])

  t.test('malformed escapes and %00 in one of our paths answer 400; the server keeps serving', async () => {
    for (const path of ['/params/%E0%A4%A', '/params/%zz', '/params/%', '/params/%C3', '/params/a%00b']) {
      const res = await t.raw('GET', path)
      expect(res.status, path).toBe(400)
    }
    expect((await t.http().get('/hello')).status).toBe(200)
  })

  t.test('unmatched paths fall through to the host', async () => {
    const res = await t.http().get('/no/such/route')
    expect(res.status).toBe(404)
    expect(res.text).toBe(HOST_404)
    const own = await t.http().get(HOST_ROUTE)
    expect(own.status).toBe(200)
    expect(own.text).toBe('host route')
  }, ['host-app'])
})
