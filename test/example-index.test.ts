/**
 * Issue #12: the example's index at `/`, served from a copy of examples/app through every target:
 * what a folder name holds is escaped in the page, the links and curl lines keep the mount
 * prefix, the JSON is the live table (a route file added to the copy is listed), and the page
 * is HTML unless the client prefers JSON.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listRoutes } from '@routeware/core'
import { expect } from 'vitest'
import { forEachTarget } from './_suite.js'

const root = mkdtempSync(join(tmpdir(), 'routeware-index-'))
const app = join(root, 'app')
cpSync(fileURLToPath(new URL('../examples/app', import.meta.url)), app, { recursive: true })
// The copy imports @routeware/core as the example does: from the node_modules the tests use.
symlinkSync(fileURLToPath(new URL('../node_modules', import.meta.url)), join(root, 'node_modules'), 'dir')
const HOSTILE = `<b>"q'&amp`
mkdirSync(join(app, 'odd', HOSTILE), { recursive: true })
writeFileSync(join(app, 'odd', HOSTILE, 'route.ts'), 'export function GET() { return new Response("odd") }\nexport function PUT() { return new Response(null, { status: 204 }) }\n')
mkdirSync(join(app, 'files', '[[...rest]]'), { recursive: true })
writeFileSync(join(app, 'files', '[[...rest]]', 'route.ts'), 'export function GET() { return new Response("files") }\n')

interface Entry {
  path: string
  methods: string[]
  config: Record<string, unknown>
  file: string
  href: string
  curl: string[]
}

forEachTarget('example index under a prefix', { options: { dir: app, instrumentation: false }, prefix: '/p' }, (t) => {
  t.test('JSON: the live table of the copy, hrefs and curl lines under the prefix', async () => {
    const res = await t.http().get('/p').set('accept', 'application/json')
    expect(res.status).toBe(200)
    const { routes } = res.body as { routes: Entry[] }
    expect(routes.map(({ href: _href, curl: _curl, ...row }) => row)).toEqual(await listRoutes(app))
    const odd = routes.find((r) => r.file === `odd/${HOSTILE}/route.ts`)!
    expect(odd).toMatchObject({ path: `/odd/${HOSTILE}`, methods: ['GET', 'PUT'], href: `/p/odd/${encodeURIComponent(HOSTILE)}` })
    // The URL is one shell word: single quotes, the quote inside closed, escaped and reopened.
    expect(odd.curl).toEqual([`curl -i '${t.origin()}/p/odd/%3Cb%3E%22q'\\''%26amp'`, `curl -i -X PUT '${t.origin()}/p/odd/%3Cb%3E%22q'\\''%26amp'`])
    expect(routes.find((r) => r.path === '/')).toMatchObject({ href: '/p', curl: [`curl -i '${t.origin()}/p'`] })
    // An optional catch-all is linked without its segments; a catch-all with a sample gets it.
    expect(routes.find((r) => r.path === '/files/[[...rest]]')?.href).toBe('/p/files')
    expect(routes.find((r) => r.path === '/api/docs/[...slug]')?.href).toBe('/p/api/docs/getting-started/install')
    expect((await t.http().get('/p/files')).text).toBe('files')
    expect((await t.http().get('/p/api/docs/getting-started/install')).status).toBe(200)
  }, ['prefix'])

  t.test('HTML: a folder name is text, never markup; the link and the curl line are escaped', async () => {
    const res = await t.http().get('/p').set('accept', 'text/html,*/*;q=0.8')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    const html = res.text
    expect(html).not.toContain(HOSTILE)
    expect(html).not.toContain('<b>')
    expect(html).toContain(`<a href="/p/odd/%3Cb%3E%22q&#39;%26amp">/odd/&lt;b&gt;&quot;q&#39;&amp;amp</a>`)
    expect(html).toContain(`<code>curl -i &#39;${t.origin()}/p/odd/%3Cb%3E%22q&#39;\\&#39;&#39;%26amp&#39;</code>`)
    expect(html).toContain(`<td>odd/&lt;b&gt;&quot;q&#39;&amp;amp/route.ts</td>`)
  }, ['prefix'])

  t.test('Accept: JSON only when the client weighs it above HTML', async () => {
    const kind = async (accept: string | undefined) => {
      const req = t.http().get('/p')
      const res = accept === undefined ? await req : await req.set('accept', accept)
      expect(res.headers.vary).toMatch(/accept/i)
      return String(res.headers['content-type']).split(';')[0]
    }
    expect(await kind('application/json')).toBe('application/json')
    expect(await kind('text/html;q=0.5, application/json')).toBe('application/json')
    expect(await kind('text/html, application/json')).toBe('text/html')
    expect(await kind('application/json;q=0, text/html')).toBe('text/html')
    expect(await kind('*/*')).toBe('text/html')
    expect(await kind(undefined)).toBe('text/html')
  }, ['prefix'])
})

forEachTarget('example index at the root', { options: { dir: app, instrumentation: false } }, (t) => {
  t.test('every GET link answers without a 5xx, on every target', async () => {
    const { routes } = (await t.http().get('/').set('accept', 'application/json')).body as { routes: Entry[] }
    expect(routes.map((r) => r.path)).toEqual((await listRoutes(app)).map((r) => r.path))
    for (const entry of routes.filter((r) => r.methods.includes('GET'))) {
      const res = await t.http().get(entry.href).redirects(0).buffer(true)
      expect(res.status, `GET ${entry.href}`).toBeLessThan(500)
    }
  })
})
