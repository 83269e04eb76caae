/**
 * Tag caching (issue #15), as Next 16.4.6 behaves (revalidateTag, revalidatePath through soft
 * tags, unstable_cache): on every target, against the memory store.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

forEachTarget('tags', { options: { dir: fixture('tags') } }, (t) => {
  const hook = (body: object) => t.http().post('/webhook').send(body).expect(200)

  t.test("revalidateTag(tag, 'max'): the next read is STALE with the old body while one regeneration runs, then HIT with the new one", async () => {
    // Rendered at start-up, as next build prerenders it, with the tags of the data it read.
    const first = await t.http().get('/tagged')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    expect((await t.http().get('/tagged')).body).toEqual(first.body)
    await hook({ tag: 'posts', profile: 'max' })
    const stale = await t.http().get('/tagged')
    expect(stale.headers['x-routeware-cache']).toBe('STALE')
    expect(stale.body).toEqual(first.body)
    let fresh = await t.http().get('/tagged')
    for (let i = 0; i < 150 && fresh.body.n === first.body.n; i++) {
      await wait(20)
      fresh = await t.http().get('/tagged')
    }
    expect(fresh.headers['x-routeware-cache']).toBe('HIT')
    expect(fresh.body.n).toBe(first.body.n + 1)
    // The regeneration recomputed the tagged data instead of serving it stale once more.
    expect(fresh.body.data.posts).toBe(first.body.data.posts + 1)
  })

  t.test('revalidateTag(tag, { expire: 0 }): the next read is a MISS with the new body', async () => {
    const first = await t.http().get('/tagged')
    await hook({ tag: 'posts', profile: { expire: 0 } })
    const next = await t.http().get('/tagged')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
    expect(next.body.data.posts).toBe(first.body.data.posts + 1)
    expect((await t.http().get('/tagged')).headers['x-routeware-cache']).toBe('HIT')
  })

  t.test('revalidateTag(tag) with one argument: deprecated, acts as { expire: 0 } (MISS)', async () => {
    const first = await t.http().get('/tagged')
    await hook({ tag: 'posts', oneArgument: true })
    const next = await t.http().get('/tagged')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
    expect(t.logs().join('\n')).toContain('"revalidateTag" without the second argument is now deprecated')
  })

  t.test('a tag no entry carries changes nothing', async () => {
    const first = await t.http().get('/tagged')
    await hook({ tag: 'unrelated', profile: { expire: 0 } })
    const next = await t.http().get('/tagged')
    expect(next.headers['x-routeware-cache']).toBe('HIT')
    expect(next.body).toEqual(first.body)
  })

  t.test("every cached route carries its path's soft tag: revalidateTag('_N_T_/page-path') reaches it", async () => {
    const first = await t.http().get('/page-path')
    expect((await t.http().get('/page-path')).headers['x-routeware-cache']).toBe('HIT')
    await hook({ tag: '_N_T_/page-path', profile: { expire: 0 } })
    const next = await t.http().get('/page-path')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
  })

  t.test('revalidatePath goes through the same soft tags: MISS, and only that path', async () => {
    const page = await t.http().get('/page-path')
    const tagged = await t.http().get('/tagged')
    await hook({ path: '/page-path/' })
    const next = await t.http().get('/page-path')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(page.body.n + 1)
    expect((await t.http().get('/tagged')).body).toEqual(tagged.body)
  })

  t.test("revalidatePath(p, 'layout') reaches every path below p; without 'layout' the paths below stay", async () => {
    const first = await t.http().get('/layout/a/b')
    await hook({ path: '/layout/a' })
    expect((await t.http().get('/layout/a/b')).body).toEqual(first.body)
    await hook({ path: '/layout/a', type: 'layout' })
    const next = await t.http().get('/layout/a/b')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
    await hook({ path: '/', type: 'layout' })
    expect((await t.http().get('/layout/a/b')).headers['x-routeware-cache']).toBe('MISS')
  })

  t.test('unstable_cache: one value per key (the arguments), reused across requests; tags reach it', async () => {
    const one = await t.http().get('/data?id=one')
    const again = await t.http().get('/data?id=one')
    const two = await t.http().get('/data?id=two')
    expect(again.body.n).toBe(one.body.n + 1)
    expect(again.body.value).toEqual(one.body.value)
    expect(two.body.value.id).toBe('two')
    await hook({ tag: 'data', profile: { expire: 0 } })
    const renewed = await t.http().get('/data?id=one')
    expect(renewed.body.value.computed).toBe(one.body.value.computed + 1)
    expect((await t.http().get('/data?id=one')).body.value).toEqual(renewed.body.value)
  })

  t.test("unstable_cache after revalidateTag(tag, 'max'): the stale value once while it recomputes, then the new one", async () => {
    const first = await t.http().get('/data?id=max')
    await hook({ tag: 'data', profile: 'max' })
    const stale = await t.http().get('/data?id=max')
    expect(stale.body.value).toEqual(first.body.value)
    let next = await t.http().get('/data?id=max')
    for (let i = 0; i < 150 && next.body.value.computed === first.body.value.computed; i++) {
      await wait(20)
      next = await t.http().get('/data?id=max')
    }
    expect(next.body.value.computed).toBe(first.body.value.computed + 1)
  })

  t.test('unstable_cache with revalidate: 1 serves the stale value once after expiry, then the recomputed one', async () => {
    const first = await t.http().get('/data-revalidate')
    expect((await t.http().get('/data-revalidate')).body.value).toBe(first.body.value)
    await wait(1100)
    expect((await t.http().get('/data-revalidate')).body.value).toBe(first.body.value)
    let next = await t.http().get('/data-revalidate')
    for (let i = 0; i < 150 && next.body.value === first.body.value; i++) {
      await wait(20)
      next = await t.http().get('/data-revalidate')
    }
    expect(next.body.value).toBe(first.body.value + 1)
  })

  t.test('unstable_cache({ revalidate: 1 }) read by a route with revalidate = 60: the route is stored with revalidate 1 (Cache-Control, then STALE)', async () => {
    const first = await t.http().get('/data-short')
    expect(first.headers['x-routeware-cache']).toBe('MISS')
    expect(first.headers['cache-control']).toBe('s-maxage=1, stale-while-revalidate=31535999')
    expect((await t.http().get('/data-short')).headers['x-routeware-cache']).toBe('HIT')
    await wait(1100)
    const stale = await t.http().get('/data-short')
    expect(stale.headers['x-routeware-cache']).toBe('STALE')
    expect(stale.body).toEqual(first.body)
    let next = await t.http().get('/data-short')
    for (let i = 0; i < 150 && next.body.n === first.body.n; i++) {
      await wait(20)
      next = await t.http().get('/data-short')
    }
    expect(next.body.n).toBe(first.body.n + 1)
    expect(next.body.value).toBe(first.body.value + 1)
  })

  t.test('revalidatePath of a force-dynamic route renews the unstable_cache data it computed', async () => {
    const first = await t.http().get('/dynamic-data')
    expect((await t.http().get('/dynamic-data')).body.value).toBe(first.body.value)
    await hook({ path: '/dynamic-data' })
    expect((await t.http().get('/dynamic-data')).body.value).toBe(first.body.value + 1)
  })

  t.test('unstable_cache computes once for concurrent callers of one key (no stampede)', async () => {
    await hook({ tag: 'slow', profile: { expire: 0 } })
    const all = await Promise.all(Array.from({ length: 6 }, () => t.http().get('/slow-data')))
    const values = new Set(all.map((res) => res.body.value))
    expect(values.size).toBe(1)
  })

  t.test("cookies() inside unstable_cache throws Next's error", async () => {
    const res = await t.http().get('/cookies-inside').set('cookie', 'session=abc')
    expect(res.status).toBe(500)
    expect(res.body.error).toBe(
      'Route /cookies-inside used `cookies()` inside a function cached with `unstable_cache()`. Accessing Dynamic data sources inside a cache scope is not supported. If you need this data inside a cached function use `cookies()` outside of the cached function and pass the required dynamic data in as an argument. See more info here: https://nextjs.org/docs/app/api-reference/functions/unstable_cache',
    )
  })

  t.test('headers() inside unstable_cache: uncaught, an empty 500 and the message logged', async () => {
    const res = await t.http().get('/headers-inside').set('x-user', 'alice')
    expect(res.status).toBe(500)
    expect(res.text).toBe('')
    expect(t.logs().join('\n')).toContain('used `headers()` inside a function cached with `unstable_cache()`')
  })

  t.test("updateTag and refresh throw Next's message in a route handler", async () => {
    const update = await t.http().post('/update-tag')
    expect(update.body.error).toBe(
      'updateTag can only be called from within a Server Action. To invalidate cache tags in Route Handlers or other contexts, use revalidateTag instead. See more info here: https://nextjs.org/docs/app/api-reference/functions/updateTag',
    )
    const refresh = await t.http().post('/refresh')
    expect(refresh.body.error).toBe('refresh can only be called from within a Server Action. See more info here: https://nextjs.org/docs/app/api-reference/functions/refresh')
  })

  t.test('revalidateTag with an unknown profile name throws, naming the presets', async () => {
    const res = await t.http().post('/bad-profile')
    expect(res.body.error).toMatch(/Invalid profile provided "fortnight".*"max"/)
  })
})
