/**
 * `'use cache'` with `cacheTag()` and `cacheLife()`, compiled by Routeware's loader (issue #15),
 * on every target; and its refusal where the host compiles the file (tsx).
 */
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { fixture, forEachTarget, forEachTargetStartup } from './_suite.js'
import { until } from './_clock.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

forEachTarget('use cache', { options: { dir: fixture('use-cache') } }, (t) => {
  const hook = (body: object) => t.http().post('/webhook').send(body).expect(200)

  t.test("file-level 'use cache': each exported async function is cached per argument; Date, Set and bigint come back as themselves", async () => {
    const first = await t.http().get('/posts?category=news')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ category: 'news', at: '2026-01-02T00:00:00.000Z', ids: [1, 2], big: 'bigint' })
    const again = await t.http().get('/posts?category=news')
    expect(again.body.n).toBe(first.body.n)
    expect(again.body.count).toBe(first.body.count)
    const other = await t.http().get('/posts?category=sport')
    expect(other.body.category).toBe('sport')
  })

  t.test("cacheTag(): revalidateTag reaches the 'use cache' results that carry the tag, and only those", async () => {
    const news = await t.http().get('/posts?category=news')
    const sport = await t.http().get('/posts?category=sport')
    await hook({ tag: 'category-news', profile: { expire: 0 } })
    expect((await t.http().get('/posts?category=news')).body.n).toBe(news.body.n + 1)
    expect((await t.http().get('/posts?category=sport')).body.n).toBe(sport.body.n)
    // Both functions carry 'posts'; with 'max' they are served stale once while they recompute.
    await hook({ tag: 'posts', profile: 'max' })
    const stale = await t.http().get('/posts?category=sport')
    expect(stale.body.n).toBe(sport.body.n)
    let after = await t.http().get('/posts?category=sport')
    for (let i = 0; i < 150 && (after.body.n === sport.body.n || after.body.count === sport.body.count); i++) {
      await wait(20)
      after = await t.http().get('/posts?category=sport')
    }
    expect(after.body.n).toBe(sport.body.n + 1)
    expect(after.body.count).toBe(sport.body.count + 1)
  })

  t.test("function-level 'use cache' with cacheLife({ revalidate: 1 }): cached, then past revalidate the next call recomputes", async () => {
    const first = await t.http().get('/fn-level?id=a')
    expect((await t.http().get('/fn-level?id=a')).body.value).toBe(first.body.value)
    const other = await t.http().get('/fn-level?id=b')
    expect((await t.http().get('/fn-level?id=b')).body.value).toBe(other.body.value)
    await wait(1100)
    expect((await t.http().get('/fn-level?id=a')).body.value).toBe(first.body.value + 1)
  })

  t.test("cacheLife('seconds'): Next's preset (revalidate 1 s)", async () => {
    const first = await t.http().get('/life-seconds')
    expect((await t.http().get('/life-seconds')).body.value).toBe(first.body.value)
    await wait(1100)
    expect((await t.http().get('/life-seconds')).body.value).toBe(first.body.value + 1)
  })

  t.test("a cached route reading 'use cache' data carries its tags: revalidateTag reaches the route's response", async () => {
    // Rendered at start-up; revalidateTag('posts', 'max') above made it stale: wait for its regeneration.
    const first = await until(async () => {
      const res = await t.http().get('/cached-route')
      return res.headers['x-routeware-cache'] === 'HIT' ? res : undefined
    }, 'a fresh entry')
    expect((await t.http().get('/cached-route')).body).toEqual(first.body)
    await hook({ tag: 'category-route', profile: { expire: 0 } })
    const next = await t.http().get('/cached-route')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
    expect(next.body.posts).toBe(first.body.posts + 1)
  })

  t.test("nested 'use cache': the outer result carries the inner's tags", async () => {
    const first = await t.http().get('/nested')
    expect((await t.http().get('/nested')).body).toEqual(first.body)
    await hook({ tag: 'inner-tag', profile: { expire: 0 } })
    const next = await t.http().get('/nested')
    expect(next.body.inner).toBe(first.body.inner + 1)
    expect(next.body.outer).toBe(first.body.outer + 1)
  })

  t.test("a 'use cache' function inside the handler is keyed by the values it closes over (the handler's id)", async () => {
    const a = await t.http().get('/closure/a')
    expect(a.status).toBe(200)
    expect(a.body.id).toBe('a')
    const b = await t.http().get('/closure/b')
    expect(b.body.id).toBe('b')
    // Cached per closed-over id: a again is a's entry, not b's, and was not recomputed.
    const again = await t.http().get('/closure/a')
    expect(again.body).toEqual(a.body)
    expect((await t.http().get('/closure/b')).body).toEqual(b.body)
  })

  t.test("a JavaScript route file with 'use cache' is compiled too", async () => {
    const first = await t.http().get('/js-file')
    expect(first.status).toBe(200)
    expect((await t.http().get('/js-file')).body.value).toBe(first.body.value)
  })

  t.test("cookies() inside 'use cache' throws Next's error", async () => {
    const res = await t.http().get('/cookies-inside').set('cookie', 'session=abc')
    expect(res.body.error).toMatch(/^Route \/cookies-inside used `cookies\(\)` inside "use cache"\. Accessing Dynamic data sources inside a cache scope is not supported\./)
  })

  t.test('an argument that is not serializable (a class instance) is refused, naming the function', async () => {
    const res = await t.http().get('/bad-arg')
    expect(res.body.error).toMatch(/the arguments of the "use cache" function query cannot be cached: a Connection instance is not serializable/)
  })

  t.test("cacheLife({ revalidate: 1 }) read by a route with revalidate = 60: the route is stored with revalidate 1 (Cache-Control, then STALE)", async () => {
    // Rendered at start-up (and maybe stale by now): drop it so this read generates.
    await hook({ path: '/route-life' })
    const first = await t.http().get('/route-life')
    expect(first.headers['x-routeware-cache']).toBe('MISS')
    expect(first.headers['cache-control']).toBe('s-maxage=1, stale-while-revalidate=31535999')
    const hit = await t.http().get('/route-life')
    expect(hit.headers['x-routeware-cache']).toBe('HIT')
    expect(hit.headers['cache-control']).toBe('s-maxage=1, stale-while-revalidate=31535999')
    await wait(1100)
    const stale = await t.http().get('/route-life')
    expect(stale.headers['x-routeware-cache']).toBe('STALE')
    expect(stale.body).toEqual(first.body)
    let next = await t.http().get('/route-life')
    for (let i = 0; i < 150 && next.body.n === first.body.n; i++) {
      await wait(20)
      next = await t.http().get('/route-life')
    }
    expect(next.body.n).toBe(first.body.n + 1)
    // The regeneration recomputed the data past its own revalidate.
    expect(next.body.data).toBe(first.body.data + 1)
  })

  t.test("cacheLife's expire bounds the route's entry: stale-while-revalidate is expire - revalidate, and past expire the next read is a MISS", async () => {
    const first = await t.http().get('/route-expire')
    expect(first.headers['cache-control']).toBe('s-maxage=1, stale-while-revalidate=1')
    expect((await t.http().get('/route-expire')).headers['x-routeware-cache']).toBe('HIT')
    await wait(2100)
    const next = await t.http().get('/route-expire')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
  })

  t.test("revalidateTag(tag, 'max') on 'use cache' data: the stale value once while it recomputes, then the new one", async () => {
    const first = await t.http().get('/stale-max')
    expect((await t.http().get('/stale-max')).body.value).toBe(first.body.value)
    await hook({ tag: 'stale-max', profile: 'max' })
    const stale = await t.http().get('/stale-max')
    expect(stale.body.value).toBe(first.body.value)
    let next = await t.http().get('/stale-max')
    for (let i = 0; i < 150 && next.body.value === first.body.value; i++) {
      await wait(20)
      next = await t.http().get('/stale-max')
    }
    expect(next.body.value).toBe(first.body.value + 1)
    // Recomputed once, then fresh again.
    expect((await t.http().get('/stale-max')).body.value).toBe(first.body.value + 1)
    // { expire: 0 }: the next call recomputes at once.
    await hook({ tag: 'stale-max', profile: { expire: 0 } })
    expect((await t.http().get('/stale-max')).body.value).toBe(first.body.value + 2)
  })

  t.test("'use cache: private' is never stored: it runs on every call, reads cookies(), and accepts cacheTag()/cacheLife()", async () => {
    const first = await t.http().get('/private').set('cookie', 'session=alice')
    expect(first.status).toBe(200)
    expect(first.body.session).toBe('alice')
    const second = await t.http().get('/private').set('cookie', 'session=bob')
    expect(second.body.session).toBe('bob')
    expect(second.body.n).toBe(first.body.n + 1)
  })

  t.test("'use cache: remote' is kept in the app's cache store, as 'use cache', and its tags reach it", async () => {
    const first = await t.http().get('/remote?id=r')
    expect(first.status).toBe(200)
    expect((await t.http().get('/remote?id=r')).body.value).toBe(first.body.value)
    await hook({ tag: 'remote-data', profile: { expire: 0 } })
    expect((await t.http().get('/remote?id=r')).body.value).toBe(first.body.value + 1)
  })

  t.test("cacheTag() and cacheLife() outside a 'use cache' function throw", async () => {
    const res = await t.http().get('/tag-outside')
    expect(res.body.errors).toEqual(['cacheTag() can only be called inside a "use cache" function.', 'cacheLife() can only be called inside a "use cache" function.'])
  })
})

forEachTargetStartup("'use cache: foo' (a kind Routeware does not know)", { options: { dir: fixture('use-cache-unknown-kind') } }, (t) => {
  t.test("start-up fails with Next's message, naming the file, the line and the kind", () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(error.message).toContain(`${fixture('use-cache-unknown-kind')}/bad/route.ts:4:3`)
    expect(error.message).toContain('Unknown cache kind "foo". Please configure a cache handler for this kind in the `cacheHandlers` object in your Next.js config.')
    expect(error.message).toContain("'use cache: remote'")
  })
})

forEachTarget("'use cache' in helper modules (not route files)", { options: { dir: fixture('use-cache-helper') } }, (t) => {
  t.test('a TypeScript helper with a file-level directive, imported by a route without one, is compiled and cached', async () => {
    const first = await t.http().get('/ts-route?kind=books')
    expect(first.status).toBe(200)
    expect(first.body.kind).toBe('books')
    expect((await t.http().get('/ts-route?kind=books')).body).toEqual(first.body)
  })

  t.test('a JavaScript route file holding the directive and importing nothing Node could not load itself is compiled (not imported as it is)', async () => {
    const first = await t.http().get('/js-direct?id=prod')
    expect(first.status).toBe(200)
    expect((await t.http().get('/js-direct?id=prod')).body.value).toBe(first.body.value)
  })

  t.test('a JavaScript route file without the directive, importing that helper, is compiled too and its calls cached', async () => {
    const first = await t.http().get('/js-route?kind=x')
    expect(first.status).toBe(200)
    expect(first.body.kind).toBe('js-x')
    expect((await t.http().get('/js-route?kind=x')).body).toEqual(first.body)
  })
})

forEachTarget("'use cache' in helper modules, in dev", { options: { dir: fixture('use-cache-helper'), dev: true } }, (t) => {
  t.test('a JavaScript route file holding the directive (an ES module Node could import itself) is compiled in dev too', async () => {
    const first = await t.http().get('/js-direct?id=dev')
    expect(first.status).toBe(200)
    expect((await t.http().get('/js-direct?id=dev')).body.value).toBe(first.body.value)
  })

  t.test('a TypeScript helper with the directive is compiled in dev', async () => {
    const first = await t.http().get('/ts-route?kind=dev')
    expect((await t.http().get('/ts-route?kind=dev')).body).toEqual(first.body)
  })
})

forEachTargetStartup("a JavaScript ES module holding 'use cache', which Node imports as it is", { options: { dir: fixture('use-cache-helper-js') } }, (t) => {
  t.test('start-up fails naming the module and the fix, instead of caching nothing', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(error.message).toContain(`${fixture('use-cache-helper-js')}/_lib/legacy.js uses the 'use cache' directive, but Node imports this JavaScript module as it is`)
    expect(error.message).toContain('make the module TypeScript (.ts)')
  })
})

/** Start a handler over `dir` under tsx (the host compiles TypeScript): its refusal's code and message. */
async function refusedUnderTsx(dir: string): Promise<{ code: string; message: string; output: string }> {
  const require = createRequire(import.meta.url)
  const tsx = require.resolve('tsx')
  const script = `import { createHandler } from '@routeware/core'
try { await createHandler({ dir: ${JSON.stringify(dir)}, logger: { error() {}, warn() {}, info() {} } }); console.log('STARTED') } catch (error) { console.log('REFUSED ' + JSON.stringify({ code: error.code, message: error.message })) }`
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise((resolve) => child.on('exit', resolve))
  const line = /REFUSED (.*)/.exec(output)
  if (!line) return { code: '', message: '', output }
  return { ...(JSON.parse(line[1]!) as { code: string; message: string }), output }
}

describe("'use cache' where the host compiles TypeScript (tsx)", () => {
  it('the route file is refused at load, naming the file and the fix', async () => {
    const dir = fixture('use-cache')
    const { code, message, output } = await refusedUnderTsx(dir)
    expect(code, output).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(message).toContain(`${dir}/fn-level/route.ts uses the 'use cache' directive`)
    expect(message).toContain('Start the app without the host')
    expect(message).toContain('unstable_cache()')
  }, 30000)

  it('a helper module holding the directive (imported by route files without it) is refused at load too, naming the helper', async () => {
    const dir = fixture('use-cache-helper')
    const { code, message, output } = await refusedUnderTsx(dir)
    expect(code, output).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(message).toContain(`${dir}/_lib/items.ts uses the 'use cache' directive`)
    expect(message).toContain('Start the app without the host')
    // Said once, not once per route file.
    expect(message.split("uses the 'use cache' directive").length).toBe(2)
  }, 30000)

  it('an app without the directive starts as before', async () => {
    const { code, output } = await refusedUnderTsx(fixture('tags'))
    expect(code, output).toBe('')
    expect(output).toContain('STARTED')
  }, 30000)
})
