/**
 * `draftMode()` as Next 16.4.6 serves it (packages/next/src/server/async-storage/draft-mode-provider.ts):
 * `enable()`/`disable()` set and expire `__prerender_bypass` with Next's attributes, `isEnabled`
 * holds only for this app's preview id, and a draft request to a cached route runs the handler with
 * Next's private Cache-Control, leaving the cached entry for everyone else.
 */
import { expect } from 'vitest'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

const DRAFT_CC = 'private, no-cache, no-store, max-age=0, must-revalidate'
const EXPIRED = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'

const setCookies = (res: { headers: Record<string, unknown> }): string[] => {
  const value = res.headers['set-cookie']
  return value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [String(value)]
}

/** The preview id this process's routers use: what `enable()` puts in the cookie. */
async function previewId(t: TargetContext): Promise<string> {
  const res = await t.http().get('/enable')
  const match = /^__prerender_bypass=([^;]*);/.exec(setCookies(res)[0] ?? '')
  if (!match) throw new Error(`no draft cookie in ${JSON.stringify(res.headers['set-cookie'])}`)
  return match[1]!
}

forEachTarget('draftMode()', { options: { dir: fixture('draft-mode') } }, (t) => {
  t.test("enable() sets __prerender_bypass=<a random 32-hex id>; Path=/; Secure; HttpOnly; SameSite=none, as Next in production", async () => {
    const res = await t.http().get('/enable')
    expect(res.status).toBe(200)
    const lines = setCookies(res)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^__prerender_bypass=[0-9a-f]{32}; Path=\/; Secure; HttpOnly; SameSite=none$/)
    expect(res.body).toEqual({ before: false, after: true, again: true })
  })

  t.test('disable() expires the cookie with the same attributes', async () => {
    const id = await previewId(t)
    const res = await t.http().get('/disable').set('cookie', `__prerender_bypass=${id}`)
    expect(setCookies(res)).toEqual([`__prerender_bypass=; Path=/; ${EXPIRED}; Secure; HttpOnly; SameSite=none`])
    expect(res.body).toEqual({ before: true, after: false })
  })

  t.test("isEnabled is true only when the cookie carries this app's preview id", async () => {
    const id = await previewId(t)
    const status = async (cookie?: string) => {
      const req = t.http().get('/status')
      return (await (cookie === undefined ? req : req.set('cookie', cookie))).body.isEnabled
    }
    expect(await status()).toBe(false)
    expect(await status(`__prerender_bypass=${id}`)).toBe(true)
    expect(await status(`theme=dark; __prerender_bypass=${id}; session=1`)).toBe(true)
    expect(await status('__prerender_bypass=0123456789abcdef0123456789abcdef')).toBe(false)
    expect(await status('__prerender_bypass=')).toBe(false)
    expect(await status(`x__prerender_bypass=${id}`)).toBe(false)
  })

  t.test('enable() then redirect(): the redirect carries the cookie (the CMS preview pattern)', async () => {
    const res = await t.http().get('/enable-redirect?slug=/status').redirects(0)
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe('/status')
    expect(setCookies(res)).toHaveLength(1)
    expect(setCookies(res)[0]).toMatch(/^__prerender_bypass=[0-9a-f]{32}; Path=\/; Secure; HttpOnly; SameSite=none$/)
  })

  t.test('enable() then disable() in one request sends the last one only, beside cookies() writes', async () => {
    const res = await t.http().get('/enable-twice')
    expect(setCookies(res)).toEqual(['theme=dark; Path=/', `__prerender_bypass=; Path=/; ${EXPIRED}; Secure; HttpOnly; SameSite=none`])
  })

  t.test('a draft request to a force-static route runs the handler, private, and leaves the entry as it was', async () => {
    const id = await previewId(t)
    // Rendered at start-up, as next build prerenders it.
    const first = await t.http().get('/cached-static')
    expect(first.headers['x-routeware-cache']).toBe('HIT')
    const hit = await t.http().get('/cached-static')
    expect(hit.headers['x-routeware-cache']).toBe('HIT')
    expect(hit.body).toEqual(first.body)

    const draft = await t.http().get('/cached-static').set('cookie', `__prerender_bypass=${id}`)
    expect(draft.status).toBe(200)
    expect(draft.headers['cache-control']).toBe(DRAFT_CC)
    // As Next 16.4.6: x-nextjs-cache: HIT on a draft answer, though the handler ran.
    expect(draft.headers['x-routeware-cache']).toBe('HIT')
    // The handler ran, in draft mode, on Next's stripped force-static request.
    expect(draft.body.n).toBeGreaterThan(first.body.n)
    expect(draft.body.draft).toBe(true)
    expect(draft.body.headerCount).toBe(0)

    const after = await t.http().get('/cached-static')
    expect(after.headers['x-routeware-cache']).toBe('HIT')
    expect(after.headers['cache-control']).toBe('s-maxage=31536000')
    expect(after.body).toEqual(first.body)
  })

  t.test('what a draft run reads (headers()) does not turn a revalidate route dynamic', async () => {
    const id = await previewId(t)
    const first = await t.http().get('/cached-revalidate')
    expect(first.body).toMatchObject({ draft: false, ref: null })
    const draft = await t.http().get('/cached-revalidate').set('cookie', `__prerender_bypass=${id}`).set('x-preview-ref', 'rev-42')
    expect(draft.body).toMatchObject({ draft: true, ref: 'rev-42' })
    expect(draft.headers['cache-control']).toBe(DRAFT_CC)
    const after = await t.http().get('/cached-revalidate')
    expect(after.headers['x-routeware-cache']).toBe('HIT')
    expect(after.body).toEqual(first.body)
  })

  t.test("the draft Cache-Control replaces the handler's own", async () => {
    const id = await previewId(t)
    const normal = await t.http().get('/cached-own-cc')
    expect(normal.headers['cache-control']).toBe('public, max-age=60')
    const draft = await t.http().get('/cached-own-cc').set('cookie', `__prerender_bypass=${id}`)
    expect(draft.headers['cache-control']).toBe(DRAFT_CC)
  })

  t.test('HEAD in draft mode: the headers of a draft run, no body', async () => {
    const id = await previewId(t)
    const head = await t.raw('HEAD', '/cached-own-cc', { cookie: `__prerender_bypass=${id}` })
    expect(head.status).toBe(200)
    expect(head.headers['cache-control']).toBe(DRAFT_CC)
    expect(head.headers['x-routeware-cache']).toBe('HIT')
    expect(head.body).toBe('')
  })

  t.test('a cookie with another id is no draft: the cache answers', async () => {
    await t.http().get('/cached-own-cc')
    const res = await t.http().get('/cached-own-cc').set('cookie', '__prerender_bypass=0123456789abcdef0123456789abcdef')
    expect(res.headers['x-routeware-cache']).toBe('HIT')
  })

  t.test('in draft mode generateStaticParams does not limit the params (Next skips its fallback check)', async () => {
    const id = await previewId(t)
    expect((await t.http().get('/listed/b')).status).toBe(404)
    const draft = await t.http().get('/listed/b').set('cookie', `__prerender_bypass=${id}`)
    expect(draft.status).toBe(200)
    expect(draft.body.slug).toBe('b')
    expect((await t.http().get('/listed/b')).status).toBe(404)
  })

  t.test("enable() under dynamic = 'error' throws Next's error: a 500, logged", async () => {
    const res = await t.http().get('/error-mode')
    expect(res.status).toBe(500)
    expect(t.logs().join('\n')).toContain('Route /error-mode with `dynamic = "error"` couldn\'t be rendered statically because it used `draftMode().enable()`')
  })
})

forEachTarget('draftMode() with previewModeId', { options: { dir: fixture('draft-mode'), previewModeId: 'shared-preview-id-0123' } }, (t) => {
  t.test('enable() carries the configured id, and a request carrying it is a draft', async () => {
    const res = await t.http().get('/enable')
    expect(setCookies(res)).toEqual(['__prerender_bypass=shared-preview-id-0123; Path=/; Secure; HttpOnly; SameSite=none'])
    expect((await t.http().get('/status').set('cookie', '__prerender_bypass=shared-preview-id-0123')).body.isEnabled).toBe(true)
    const draft = await t.http().get('/cached-own-cc').set('cookie', '__prerender_bypass=shared-preview-id-0123')
    expect(draft.headers['cache-control']).toBe(DRAFT_CC)
  })
})

forEachTarget('draftMode() in dev', { options: { dir: fixture('draft-mode'), dev: true, previewModeId: 'shared-preview-id-0123' } }, (t) => {
  t.test('enable() sets SameSite=lax without Secure, as Next outside production', async () => {
    const on = await t.http().get('/enable')
    expect(setCookies(on)).toEqual(['__prerender_bypass=shared-preview-id-0123; Path=/; HttpOnly; SameSite=lax'])
    const off = await t.http().get('/disable')
    expect(setCookies(off)).toEqual([`__prerender_bypass=; Path=/; ${EXPIRED}; HttpOnly; SameSite=lax`])
  })
})
