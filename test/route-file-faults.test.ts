/**
 * Issue #7, faults in the route files themselves: a file that throws while it loads, and files
 * deleted from disk while the server runs.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import express from 'express'
import Fastify from 'fastify'
import supertest from 'supertest'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'
import { createHandler } from '@routeware/core'
import { forEachTarget } from './_suite.js'

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

const silent = { error() {}, warn() {}, info() {} }

describe('a route file that throws while it loads', () => {
  const dir = tree('throws-on-load', {
    'ok/route.ts': "export const GET = () => new Response('ok')\n",
    'boom/route.ts': "const config = process.env.ROUTEWARE_MISSING_SETTING\nif (!config) throw new Error('ROUTEWARE_MISSING_SETTING is not set')\nexport const GET = () => new Response(config)\n",
  })
  const named = new RegExp(`Failed to load route file ${join(dir, 'boom/route.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ROUTEWARE_MISSING_SETTING is not set`)

  it('production: createHandler rejects, naming the file and the error', async () => {
    await expect(createHandler({ dir, logger: silent })).rejects.toThrow(named)
  })

  it('production: Express sends every request to next(err) naming the file; ready() rejects', async () => {
    const middleware = routesExpress({ dir, logger: silent })
    await expect(middleware.ready()).rejects.toThrow(named)
    const app = express()
    app.use(middleware)
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(503).send(err.message)
    })
    const res = await supertest(app).get('/ok')
    expect(res.status).toBe(503)
    expect(res.text).toMatch(named)
  })

  it('production: Fastify register rejects naming the file', async () => {
    const app = Fastify()
    await expect(app.register(routesFastify, { dir })).rejects.toThrow(named)
    await app.close().catch(() => {})
  })

  it('dev: that route answers 500 with the error; the others keep serving', async () => {
    const handle = await createHandler({ dir, dev: true, logger: silent })
    try {
      const broken = await handle(new Request('http://x/boom'))
      expect(broken.status).toBe(500)
      expect(await broken.text()).toMatch(/ROUTEWARE_MISSING_SETTING is not set/)
      expect(await (await handle(new Request('http://x/ok'))).text()).toBe('ok')
    } finally {
      await handle.close()
    }
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
