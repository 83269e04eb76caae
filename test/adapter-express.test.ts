/** What only the Express middleware does: loading states, next(err), onError 'next', two mounts. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import express from 'express'
import express4 from 'express4'
import supertest from 'supertest'
import routes from '@routeware/express'
import { fixture } from './_suite.js'
import { expectRefusal, refusedDir, refusedTrees } from './_refused.js'

const errorHandler = (err: Error, _req: unknown, res: express.Response, _next: unknown) => {
  res.status(500).send(`host error: ${err.message}`)
}

describe('@routeware/express', () => {
  it('requests that arrive while the tree loads wait for it', async () => {
    const app = express()
    app.use(routes({ dir: fixture('basic') }))
    const res = await supertest(app).get('/hello')
    expect(res.status).toBe(200)
  })

  it('a failed load sends every request to next(err) naming the file; an un-awaited ready() is no unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const middleware = routes({ dir: fixture('broken') })
      void middleware.ready()
      const app = express()
      app.use(middleware)
      app.use(errorHandler)
      const res = await supertest(app).get('/anything')
      expect(res.status).toBe(500)
      expect(res.text).toMatch(/host error: Failed to load route file .*bad[\\/]route\.ts/)
      await expect(middleware.ready()).rejects.toThrow(/bad[\\/]route\.ts/)
      await new Promise((r) => setTimeout(r, 50))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  // The start-up failures themselves run on every target (refusals, route-file-faults); what is
  // Express's own is where requests go afterwards: next(err), with the very error ready() rejects with.
  describe('after a failed load, ready() rejects and every request reaches the host error handler with that same error', () => {
    /** routes() over `dir` with a host 404 and an error handler that records each error it gets. */
    async function failedLoad(make: typeof express, dir: string) {
      const middleware = routes({ dir, logger: { error() {}, warn() {}, info() {} } })
      const app = make()
      app.use(middleware)
      const seen: unknown[] = []
      app.use((_req, res) => {
        res.status(404).send('host 404')
      })
      app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        seen.push(error)
        res.status(500).send(`host error: ${error.message}`)
      })
      const readyError = await middleware.ready().then(
        () => expect.fail('ready() resolved'),
        (error: unknown) => error,
      )
      return { app, seen, readyError }
    }

    for (const [name, make] of [['Express 5', express], ['Express 4', express4 as unknown as typeof express]] as const) {
      it.each(refusedTrees)(`${name}, refused tree $name`, async (tree) => {
        const { app, seen, readyError } = await failedLoad(make, refusedDir(tree.name))
        expectRefusal(readyError, tree)
        const response = await supertest(app).get('/')
        expect(response.status).toBe(500)
        expect(response.text).toContain(tree.messages[0])
        const again = await supertest(app).get('/blog/1')
        expect(again.status).toBe(500)
        expect(seen).toHaveLength(2)
        expect(seen[0]).toBe(readyError)
        expect(seen[1]).toBe(readyError)
      })

      it(`${name}, a route file that throws while it loads: the error names the file and the reason`, async () => {
        const dir = fixture('throws-on-load')
        const named = `Failed to load route file ${join(dir, 'boom/route.ts')}: ROUTEWARE_MISSING_SETTING is not set`
        const { app, seen, readyError } = await failedLoad(make, dir)
        expect((readyError as Error).message).toContain(named)
        const res = await supertest(app).get('/ok')
        expect(res.status).toBe(500)
        expect(res.text).toContain(`host error: ${named}`)
        expect(seen).toHaveLength(1)
        expect(seen[0]).toBe(readyError)
      })
    }
  })

  it("onError: 'next' hands handler errors to the host's error handler", async () => {
    const app = express()
    app.use(routes({ dir: fixture('basic'), onError: 'next' }))
    app.use(errorHandler)
    const res = await supertest(app).get('/throws')
    expect(res.status).toBe(500)
    expect(res.text).toBe('host error: handler exploded')
  })

  it('onError as a function answers with its Response', async () => {
    const app = express()
    app.use(routes({ dir: fixture('basic'), onError: (error) => Response.json({ message: (error as Error).message }, { status: 502 }), logger: { error() {}, warn() {}, info() {} } }))
    const res = await supertest(app).get('/throws')
    expect(res.status).toBe(502)
    expect(res.body).toEqual({ message: 'handler exploded' })
  })

  it('two mounts, nested routers, baseUrl as the prefix', async () => {
    const app = express()
    const router = express.Router()
    router.use('/v1', routes({ dir: fixture('basic') }))
    app.use('/api', router)
    app.use('/other', routes({ dir: fixture('requests') }))
    const res = await supertest(app).get('/api/v1/params/3')
    expect(res.body).toMatchObject({ basePath: '/api/v1', pathname: '/params/3', params: { id: '3' } })
    expect((await supertest(app).post('/other/text').send('x')).text).toBe('x')
  })

  for (const [name, make] of [['Express 5', express], ['Express 4', express4]] as const) {
    it(`issue #17: a req.url rewrite by an earlier middleware is followed, as Express's own routers and serve-static do (${name})`, async () => {
      const app = (make as typeof express)()
      const rewrite = (req: express.Request, _res: express.Response, next: () => void) => {
        if (req.url.startsWith('/old/')) req.url = `/params/${req.url.slice(5)}`
        if (req.url === '/to-star') req.url = '*/admin'
        next()
      }
      app.use(rewrite, routes({ dir: fixture('basic') }))
      app.use('/api', rewrite, routes({ dir: fixture('basic') }))
      app.use((_req, res) => res.status(404).send('host 404'))
      const res = await supertest(app).get('/old/7?q=1')
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ pathname: '/params/7', params: { id: '7' }, search: '?q=1', basePath: '' })
      const mounted = await supertest(app).get('/api/old/8')
      expect(mounted.body).toMatchObject({ pathname: '/params/8', params: { id: '8' }, basePath: '/api' })
      expect(new URL(mounted.body.url).pathname).toBe('/api/params/8')
      // Without a rewrite the raw path still decides (the 308 for `//`, a trailing slash, `/api` itself).
      expect((await supertest(app).get('/api//params/9')).headers.location).toBe('/api/params/9')
      expect((await supertest(app).get('/api/params/9/')).headers.location).toBe('/api/params/9')
      expect((await supertest(app).get('/api')).text).toBe('root')
      expect((await supertest(app).get('/api?x=1')).text).toBe('root')
      expect((await supertest(app).get('/api/')).status).toBe(308)
      // A rewrite to a target that is not origin-form is not served.
      expect((await supertest(app).get('/to-star')).text).toBe('host 404')
    })
  }

  it('rejects invalid options synchronously with a clear message', () => {
    expect(() => routes({ dir: '' })).toThrow(/`dir` option is required/)
    expect(() => routes({ dir: fixture('basic'), onError: 'nope' as never })).toThrow(/onError/)
  })
})
