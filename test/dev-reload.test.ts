/**
 * Live reload in dev mode, through every target, driven by real file edits against a running
 * server: added, edited, renamed and deleted route files, a new folder, an edited imported module,
 * a broken file that fails alone and recovers.
 */
import { cpSync, mkdtempSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import type { TargetContext } from './_suite.js'

// A copy of fixtures/dev (app/ and the lib/ beside it) that the tests edit.
const root = mkdtempSync(join(tmpdir(), 'routeware-dev-'))
cpSync(join(fixture('dev'), '..'), root, { recursive: true })
const app = join(root, 'app')

const write = (path: string, text: string) => {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
}
/** Poll until `check` passes: a reload lands within ~50 ms of the last file event plus the load. */
async function eventually(check: () => Promise<void>, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}
const unique = () => `r${Math.random().toString(36).slice(2, 8)}`
const text = async (t: TargetContext, path: string) => {
  const res = await t.http().get(path)
  return `${res.status} ${res.text}`
}

forEachTarget('dev reload', { options: { dir: app, dev: true } }, (t) => {
  t.test('adding a route file (in a new folder) serves it without a restart', async () => {
    const name = unique()
    expect((await t.http().get(`/${name}/deep`)).status).toBe(404)
    write(join(app, name, 'deep', 'route.ts'), `export const GET = () => new Response('added ${name}')`)
    await eventually(async () => expect(await text(t, `/${name}/deep`)).toBe(`200 added ${name}`))
  })

  t.test('editing, renaming and deleting a route file take effect on the next requests', async () => {
    const name = unique()
    const file = join(app, name, 'route.ts')
    write(file, `export const GET = () => new Response('one')`)
    await eventually(async () => expect(await text(t, `/${name}`)).toBe('200 one'))
    write(file, `export const GET = () => new Response('two')\nexport const POST = () => new Response('posted')`)
    await eventually(async () => expect(await text(t, `/${name}`)).toBe('200 two'))
    expect((await t.http().post(`/${name}`)).text).toBe('posted')
    renameSync(join(app, name), join(app, `${name}-renamed`))
    await eventually(async () => {
      expect(await text(t, `/${name}-renamed`)).toBe('200 two')
      expect((await t.http().get(`/${name}`)).status).toBe(404)
    })
    rmSync(join(app, `${name}-renamed`), { recursive: true })
    await eventually(async () => expect((await t.http().get(`/${name}-renamed`)).status).toBe(404))
  })

  t.test('editing a module that a route file imports is picked up', async () => {
    expect(await text(t, '/stable')).toMatch(/^200 v\d+$/)
    const version = `v${Date.now()}`
    writeFileSync(join(root, 'lib', 'message.ts'), `export const message = '${version}'\n`)
    await eventually(async () => expect(await text(t, '/stable')).toBe(`200 ${version}`))
  })

  t.test('a broken route file answers 500 with its error; the other routes keep serving; fixing it recovers', async () => {
    const name = unique()
    const file = join(app, name, 'route.ts')
    write(file, `export const GET = () => new Response('fine')`)
    await eventually(async () => expect(await text(t, `/${name}`)).toBe('200 fine'))
    write(file, `export const GET = () => {\n  return new Response('broken'\n}\n`)
    await eventually(async () => {
      const res = await t.http().get(`/${name}`)
      expect(res.status).toBe(500)
      expect(res.text).toContain(`${name}`)
      expect(res.text).toContain('route.ts')
    })
    expect(await text(t, '/stable')).toMatch(/^200 /)
    write(file, `export const GET = () => new Response('fixed')`)
    await eventually(async () => expect(await text(t, `/${name}`)).toBe('200 fixed'))
  })
})
