/**
 * Issue #7, faults in the route files themselves: a file that throws while it loads, and files
 * deleted from disk while the server runs.
 */
import { afterAll, expect } from 'vitest'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixture, forEachTarget, forEachTargetStartup } from './_suite.js'

const scratch = fileURLToPath(new URL(`./.tmp/route-file-faults-${process.pid}/`, import.meta.url))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function tree(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

// boom/route.ts throws while it loads (a setting it reads at import is missing); ok/route.ts is fine.
// What Express does with requests after that failure (next(err)) is in adapter-express.test.ts.
const throwsOnLoad = fixture('throws-on-load')
const boom = join(throwsOnLoad, 'boom/route.ts')
const named = new RegExp(`Failed to load route file ${boom.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ROUTEWARE_MISSING_SETTING is not set`)

forEachTargetStartup('production: a route file that throws while it loads', { options: { dir: throwsOnLoad } }, (t) => {
  t.test('start-up fails, naming the file and the error', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(error.files).toEqual([boom])
    expect(error.message).toMatch(named)
  })

  t.test('a start nobody awaits never rejects unhandled; the failure surfaces later, the same', async () => {
    const { error, unhandled } = await t.unawaited()
    expect(unhandled).toEqual([])
    expect((error as Error).message).toMatch(named)
  }, ['unawaited-start'])
})

forEachTarget('dev: a route file that throws while it loads', { options: { dir: throwsOnLoad, dev: true } }, (t) => {
  t.test('that route answers 500 with the error; the others keep serving', async () => {
    const broken = await t.http().get('/boom')
    expect(broken.status).toBe(500)
    expect(broken.text).toMatch(/ROUTEWARE_MISSING_SETTING is not set/)
    expect((await t.http().get('/ok')).text).toBe('ok')
  })
})

// Production serves the modules it loaded at startup, as `next start` serves its build: deleting
// the files changes nothing until a restart. A module the handler imports lazily and that is gone
// answers 500 for that request only, with nothing of the error in the body.
const served = tree('deleted-while-serving', {
  'lib/data.ts': "export const data = { loaded: 'at startup' }\n",
  'lib/lazy.ts': "export const lazy = 'imported on demand'\n",
  'app/kept/route.ts': "import { data } from '../../lib/data'\nexport const GET = () => Response.json(data)\n",
  'app/lazy/route.ts': "export async function GET() {\n  const { lazy } = await import('../../lib/lazy')\n  return Response.json({ lazy })\n}\n",
})
const restore = () =>
  tree('deleted-while-serving', {
    'lib/data.ts': "export const data = { loaded: 'at startup' }\n",
    'lib/lazy.ts': "export const lazy = 'imported on demand'\n",
    'app/kept/route.ts': "import { data } from '../../lib/data'\nexport const GET = () => Response.json(data)\n",
  })

forEachTarget('route files deleted while serving', { options: { dir: join(served, 'app') } }, (t) => {
  t.test('loaded routes keep serving; a lazily imported module that is gone answers 500 without leaking the path', async () => {
    try {
      rmSync(join(served, 'app/kept/route.ts'))
      rmSync(join(served, 'lib/data.ts'))
      rmSync(join(served, 'lib/lazy.ts'))
      const kept = await t.http().get('/kept')
      expect(kept.status).toBe(200)
      expect(kept.body).toEqual({ loaded: 'at startup' })
      const from = t.logs().length
      const lazy = await t.raw('GET', '/lazy')
      expect(lazy.status).toBe(500)
      expect(lazy.body).not.toContain(served)
      expect(lazy.body).not.toMatch(/lazy|Cannot find/)
      expect(t.logs().slice(from).join('\n')).toMatch(/lib[\\/]lazy/)
      expect((await t.http().get('/kept')).status).toBe(200)
    } finally {
      restore()
    }
  })
})
