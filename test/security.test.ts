/**
 * Issue #7, no path confusion: the host guards `/admin` its own way, Routeware serves
 * `admin/secret` and `public/[...path]`, and no spelling of a path an attacker can send over a
 * raw socket reaches the secret without passing the guard. Every answer is the guard's 401, a
 * 308 to the canonical path (followed: it must come back through the guard), a 400, a 404, or
 * the public catch-all's echo: `%2F` and `%5C` stay inside one param (contract, Paths), so
 * `/public/..%2fadmin/secret` is `/public/[...path]` with `['../admin', 'secret']`, not a bypass.
 */
import { expect } from 'vitest'
import fc from 'fast-check'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { GUARD_TOKEN } from './_targets.js'
import { LEAK, requestBytes, sendRaw, type RawAnswer } from './_hostile.js'

const SECRET = 'SECRET'

/** Each path is sent byte for byte; `{origin}` is replaced by the server's origin (absolute-form). */
const ATTACKS = [
  // dot segments, literal and encoded
  '/public/../admin/secret',
  '/public/%2e%2e/admin/secret',
  '/public/%2E%2E/admin/secret',
  '/public/.%2e/admin/secret',
  '/public/%2e./admin/secret',
  '/public/../../admin/secret',
  '/public/x/../../admin/secret',
  '/./admin/secret',
  '/admin/./secret',
  '/admin/%2e/secret',
  '/admin/x/../secret',
  '/admin/x/%2e%2e/secret',
  '/admin/secret/.',
  '/admin/secret/%2e',
  '/admin/secret/..',
  // encoded separators
  '/public/..%2fadmin/secret',
  '/public/..%2Fadmin%2Fsecret',
  '/public/%2e%2e%2fadmin%2fsecret',
  '/public/..%5cadmin%5csecret',
  '/public/%2e%2e%5cadmin%5csecret',
  '/admin%2fsecret',
  '/admin%2Fsecret',
  '/admin%5csecret',
  '/%2fadmin/secret',
  '/%5cadmin/secret',
  // repeated slashes
  '//admin/secret',
  '///admin/secret',
  '/admin//secret',
  '//admin//secret/',
  // NUL, malformed and double escapes
  '/admin/secret%00',
  '/admin%00/secret',
  '/public/%00/../../admin/secret',
  '/admin/secret%2500',
  '/admin/secret%',
  '/admin/secret%zz',
  '/admin/secret%ff',
  '/%2561dmin/secret',
  '/public/%c0%ae%c0%ae/admin/secret',
  '/public/%u002e%u002e/admin/secret',
  // needlessly encoded letters, case
  '/%61dmin/secret',
  '/%61%64%6d%69%6e/secret',
  '/adm%69n/secret',
  '/admin/%73ecret',
  '/%41DMIN/secret',
  '/ADMIN/secret',
  '/Admin/Secret',
  '/admin/SECRET',
  // trailing slashes and look-alikes
  '/admin/secret/',
  '/admin/secret//',
  '/admin/secret.',
  '/admin/secret~',
  '/admin/secret%20',
  '/admin/secret%09',
  '/admin;/secret',
  '/admin/secret;x=1',
  '/admin/secret%3b',
  // backslashes
  '/admin\\secret',
  '/\\admin\\secret',
  '/public/..\\admin\\secret',
  '/public\\..\\admin\\secret',
  // query, fragment, absolute-form
  '/admin/secret?x=../',
  '/public/../admin/secret?next=//evil.example',
  '/admin/secret#frag',
  '/public/x#/../../admin/secret',
  '{origin}/admin/secret',
  '{origin}/public/../admin/secret',
  'http://evil.example/admin/secret',
]

const isPublicEcho = (res: RawAnswer) => {
  try {
    return (JSON.parse(res.body) as { route?: string }).route === '/public/[...path]'
  } catch {
    return false
  }
}

/** Send, then follow 308s (up to 3), checking every hop. Returns the answers, first to last. */
async function probe(t: TargetContext, method: string, target: string, headers: Array<[string, string]> = []): Promise<RawAnswer[]> {
  const hops: RawAnswer[] = []
  let next: string | undefined = target.replace('{origin}', t.origin())
  for (let i = 0; i < 4 && next !== undefined; i++) {
    const res: RawAnswer = await sendRaw(t.origin(), requestBytes(t.origin(), method, next, headers))
    hops.push(res)
    next = undefined
    if (res.status === 308) {
      const location = String(res.headers.location)
      // Never an open redirect: a path on this origin, not `//host` or `/\host`.
      expect(location, `${target}: Location`).toMatch(/^\/(?![/\\])/)
      next = location
    }
  }
  return hops
}

forEachTarget('security: a host guard on /admin', { options: { dir: fixture('guarded') }, guardPrefix: '/admin' }, (t) => {
  t.test('the canonical path: 401 from the guard without the header, SECRET with it', async () => {
    const denied = await t.raw('GET', '/admin/secret')
    expect(denied.status).toBe(401)
    expect(denied.body).toBe('guarded')
    const allowed = await t.raw('GET', '/admin/secret', { authorization: GUARD_TOKEN })
    expect(allowed.status).toBe(200)
    expect(allowed.body).toBe(SECRET)
    const open = await t.raw('GET', '/public/a/b')
    expect(JSON.parse(open.body).params).toEqual({ path: ['a', 'b'] })
  }, ['host-guard'])

  for (const attack of ATTACKS) {
    t.test(`GET ${JSON.stringify(attack)} never reaches the secret without the guard`, async () => {
      const hops = await probe(t, 'GET', attack)
      for (const [i, hop] of hops.entries()) {
        expect(hop.body, `${attack}: hop ${i}`).not.toContain(SECRET)
        expect(hop.error, `${attack}: hop ${i}`).toBeUndefined()
        const status = hop.status === 200 && isPublicEcho(hop) ? 'public echo' : hop.status
        expect([308, 400, 401, 404, 'public echo'], `${attack}: hop ${i} answered ${hop.status} ${hop.body.slice(0, 200)}`).toContain(status)
        expect(hop.body).not.toMatch(LEAK)
      }
      expect(hops.at(-1)!.status, `${attack}: a redirect chain must end`).not.toBe(308)
      // A 308 that lands on the secret's canonical path is the way in for a client with the header.
      const landed = hops.slice(0, -1).map((h) => String(h.headers.location).split('?')[0]).filter((p) => p === '/admin/secret')
      if (landed.length > 0) {
        const withHeader = await probe(t, 'GET', attack, [['authorization', GUARD_TOKEN]])
        expect(withHeader.at(-1)!.status).toBe(200)
        expect(withHeader.at(-1)!.body).toBe(SECRET)
      }
    }, ['host-guard'])
  }

  t.test('POST and HEAD through dot segments and encoded letters are guarded too', async () => {
    for (const method of ['POST', 'HEAD']) {
      for (const attack of ['/public/../admin/secret', '/public/%2e%2e/admin/secret', '/%61dmin/secret', '//admin/secret']) {
        const hops = await probe(t, method, attack)
        for (const hop of hops) {
          expect(hop.body, `${method} ${attack}`).not.toContain(SECRET)
          expect([308, 400, 401, 404], `${method} ${attack}: ${hop.status}`).toContain(hop.status)
        }
      }
    }
  }, ['host-guard'])

  t.test('the redirect keeps the query and never points off-site', async () => {
    const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', '/public/../admin/secret?next=//evil.example&a=%2e%2e'))
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/admin/secret?next=//evil.example&a=%2e%2e')
    for (const path of ['//evil.example/%2e%2e/public/x', '/\\evil.example/../public/x', '/public/..//evil.example/..//public/x', '/%2f%2fevil.example/../public/x']) {
      const hops = await probe(t, 'GET', path)
      for (const hop of hops) expect([200, 308, 400, 404], `${path}: ${hop.status}`).toContain(hop.status)
    }
  }, ['host-guard'])

  t.test('property: path-like request targets built from hostile pieces never reach the secret without the header', async () => {
    const piece = fc.constantFrom('/', '//', '\\', '.', '..', '%2e', '%2E', '%2f', '%2F', '%5c', '%00', '%', '%25', '%61', '%41', ';', '?', '#', 'admin', 'ADMIN', 'secret', 'public', 'x', '%73', 'é', '%c0%ae', ' ')
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 10 }), async (pieces) => {
        const target = '/' + pieces.join('')
        const hops = await probe(t, 'GET', target)
        for (const hop of hops) {
          expect(hop.body, target).not.toContain(SECRET)
          expect(hop.status, target).toBeDefined()
        }
      }),
      { numRuns: 200 },
    )
    expect((await t.raw('GET', '/public/ok')).status).toBe(200)
  }, ['host-guard'], 30000)
})

forEachTarget('security: a host guard on /api/admin, Routeware mounted at /api', { options: { dir: fixture('guarded') }, prefix: '/api', guardPrefix: '/api/admin' }, (t) => {
  const attacks = [
    '/api/public/../admin/secret',
    '/api/public/%2e%2e/admin/secret',
    '/api/%61dmin/secret',
    '/%61pi/admin/secret',
    '/api%2fadmin/secret',
    '/api/admin%2fsecret',
    '//api/admin/secret',
    '/api//admin/secret',
    '/api/./admin/secret',
    '/api/../api/admin/secret',
    '/public/../api/admin/secret',
    '/api\\admin\\secret',
    '/api/admin/secret%00',
    '/API/admin/secret',
  ]
  t.test('the canonical path below the prefix is guarded, and served with the header', async () => {
    expect((await t.raw('GET', '/api/admin/secret')).status).toBe(401)
    const allowed = await t.raw('GET', '/api/admin/secret', { authorization: GUARD_TOKEN })
    expect(allowed.body).toBe(SECRET)
  }, ['host-guard', 'prefix'])

  for (const attack of attacks) {
    t.test(`GET ${JSON.stringify(attack)} never reaches the secret without the guard`, async () => {
      const hops = await probe(t, 'GET', attack)
      for (const [i, hop] of hops.entries()) {
        expect(hop.body, `${attack}: hop ${i}`).not.toContain(SECRET)
        const status = hop.status === 200 && isPublicEcho(hop) ? 'public echo' : hop.status
        expect([308, 400, 401, 404, 'public echo'], `${attack}: hop ${i} answered ${hop.status} ${hop.body.slice(0, 200)}`).toContain(status)
      }
      const redirects = hops.slice(0, -1).map((h) => String(h.headers.location))
      for (const location of redirects) expect(location, attack).toMatch(/^\/api\//)
    }, ['host-guard', 'prefix'])
  }
})
