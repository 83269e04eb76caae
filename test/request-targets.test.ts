/**
 * Issue #17: request targets and `Host` headers an attacker controls. A request target that does
 * not start with `/` (RFC 9112 §3.2: origin-form starts with `/`; `*` is for OPTIONS only) is
 * never served: no segment is ever silently dropped. A `Host` the URL parser refuses never breaks
 * the error path, and never reaches the client as a stack.
 */
import { expect } from 'vitest'
import fc from 'fast-check'
import { fixture, forEachTarget } from './_suite.js'
import { GUARD_TOKEN } from './_targets.js'
import { LEAK, requestBytes, sendRaw } from './_hostile.js'

const SECRET = 'SECRET'

/** Targets Node's parser accepts that do not start with `/`. */
const NOT_ORIGIN_FORM = ['*/admin/secret', '*', 'admin/secret', 'x/admin/secret', '*/public/a', '../admin/secret', '%2e%2e/admin/secret', './/admin/secret', '?/admin/secret', '\\admin\\secret', '@/admin/secret', ';/admin/secret']

forEachTarget('issue #17: request targets', { options: { dir: fixture('targets') }, guardPrefix: '/admin' }, (t) => {
  for (const target of NOT_ORIGIN_FORM) {
    t.test(`issue #17: GET ${JSON.stringify(target)} is never served (plain Express and Fastify answer 404 too)`, async () => {
      for (const headers of [[], [['authorization', GUARD_TOKEN]]] as Array<Array<[string, string]>>) {
        const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', target, headers))
        expect(res.body, target).not.toContain(SECRET)
        expect(res.body, target).not.toContain('/public/[...path]')
        expect(res.body, target).not.toMatch(LEAK)
        // The host's own answer (its 404, or Node's 400 for a target it refuses): never a 2xx or a redirect into the tree.
        expect([400, 404], `${target}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status)
      }
    }, ['raw-path'])
  }

  t.test('issue #17: OPTIONS * (the one asterisk-form RFC 9112 allows) is left to the host', async () => {
    const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'OPTIONS', '*'))
    expect(res.status).toBeDefined()
    expect(res.headers.allow).toBeUndefined()
    expect(res.body).not.toMatch(LEAK)
  }, ['raw-path'])

  t.test('property: a target that does not start with `/` never reaches a route', async () => {
    const piece = fc.constantFrom('*', '.', '..', '%2e', 'admin', 'secret', 'public', 'a', '/', '//', '\\', '%2f', '%00', '?', ';', '@', ':', 'x')
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (pieces) => {
        const target = pieces.join('')
        fc.pre(!target.startsWith('/'))
        const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', target))
        expect(res.body, target).not.toContain(SECRET)
        expect(res.body, target).not.toContain('/public/[...path]')
        expect(res.status, target).toBeDefined()
        expect(res.status === undefined || res.status >= 300, `${target}: ${res.status}`).toBe(true)
      }),
      { numRuns: 150 },
    )
  }, ['raw-path'], 30000)
})

/** `Host` values Node's parser lets through that `new URL()` refuses. */
const HOSTILE_HOSTS = ['[', '%zz', '[zz]', 'a:99999', 'a b', 'exa%mple', '[::1', 'a]', ':::', 'x:y:z']

forEachTarget('issue #17: a hostile Host header', { options: { dir: fixture('targets') } }, (t) => {
  for (const host of HOSTILE_HOSTS) {
    t.test(`issue #17: Host ${JSON.stringify(host)}: a handler error is logged as itself and answered with an empty 500`, async () => {
      const before = t.logs().length
      const res = await sendRaw(t.origin(), Buffer.from(`GET /throws HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1'))
      // Node itself refuses some of these with a 400 before any app runs.
      if (res.status === 400) return
      expect(res.status, res.body).toBe(500)
      expect(res.body).not.toMatch(/Invalid URL/)
      expect(res.body).not.toMatch(LEAK)
      const logged = t.logs().slice(before).join('\n')
      expect(logged).toContain('handler exploded')
      expect(logged).toContain('/throws')
      expect(logged).not.toMatch(/Invalid URL/)
    }, ['raw-path', 'host-app'])

    t.test(`issue #17: Host ${JSON.stringify(host)}: request.url falls back to a valid URL with the real path`, async () => {
      const res = await sendRaw(t.origin(), Buffer.from(`GET /echo-url?a=1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1'))
      if (res.status === 400) return
      expect(res.status, res.body).toBe(200)
      const seen = JSON.parse(res.body) as { url: string; pathname: string }
      expect(seen.pathname).toBe('/echo-url')
      expect(new URL(seen.url).search).toBe('?a=1')
    }, ['raw-path'])
  }

  t.test('issue #17: the server is still up after every hostile Host', async () => {
    const res = await t.http().get('/echo-url')
    expect(res.status).toBe(200)
  })
})
