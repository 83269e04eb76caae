/**
 * A Next 16 `cacheHandlers` handler as Routeware's store (`fromCacheHandler`, issue #15): it passes
 * the store kit, and serves cached routes, tags, revalidatePath and unstable_cache on every target.
 */
import { describe, expect, it } from 'vitest'
import { fromCacheHandler } from '@routeware/core/cache'
import { checkCacheStore } from '@routeware/core/cache-store-kit'
import { fixture, forEachTarget } from './_suite.js'
import { createBackend, createNextCacheHandler } from './_next-cache-handler.js'

describe('fromCacheHandler', () => {
  it('passes the store kit, two handlers over one backend included', async () => {
    const backend = createBackend()
    const done = await checkCacheStore(() => fromCacheHandler(createNextCacheHandler(backend)), { shared: true, expiryOnly: true })
    expect(done.length).toBeGreaterThanOrEqual(10)
    // Through Next's interface only: refreshTags() before reads, updateTags() for revalidations.
    expect(backend.calls).toEqual(expect.arrayContaining(['get', 'set', 'refreshTags', 'getExpiration', 'updateTags']))
  }, 20000)
})

const backend = createBackend()
forEachTarget('a Next cacheHandlers handler as the store', { options: { dir: fixture('tags'), cache: fromCacheHandler(createNextCacheHandler(backend)) } }, (t) => {
  const hook = (body: object) => t.http().post('/webhook').send(body).expect(200)

  t.test('MISS, HIT, and a revalidateTag({ expire: 0 }) reaching the route and its unstable_cache data', async () => {
    await hook({ tag: 'posts', profile: { expire: 0 } })
    const first = await t.http().get('/tagged')
    expect(first.headers['x-routeware-cache']).toBe('MISS')
    const hit = await t.http().get('/tagged')
    expect(hit.headers['x-routeware-cache']).toBe('HIT')
    expect(hit.body).toEqual(first.body)
    await hook({ tag: 'posts', profile: { expire: 0 } })
    const next = await t.http().get('/tagged')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBe(first.body.n + 1)
    expect(next.body.data.posts).toBe(first.body.data.posts + 1)
  })

  t.test("revalidateTag(tag, 'max') through a handler: its get() hides the revalidated entry, so the next read regenerates (MISS)", async () => {
    const first = await t.http().get('/tagged')
    await hook({ tag: 'posts', profile: 'max' })
    const next = await t.http().get('/tagged')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBeGreaterThan(first.body.n)
  })

  t.test('revalidatePath through the soft tag', async () => {
    const first = await t.http().get('/page-path')
    expect((await t.http().get('/page-path')).headers['x-routeware-cache']).toBe('HIT')
    await hook({ path: '/page-path' })
    const next = await t.http().get('/page-path')
    expect(next.headers['x-routeware-cache']).toBe('MISS')
    expect(next.body.n).toBeGreaterThan(first.body.n)
  })
})
