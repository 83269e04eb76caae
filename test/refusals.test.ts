/**
 * Route trees Next.js 16 refuses are refused by every entry point, with Next's own message
 * and the files involved (Next's build/validate-app-paths.ts and sorted-routes.ts, checked against a running Next.js 16.4.6).
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import express5 from 'express'
import express4 from 'express4'
import Fastify from 'fastify'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { createHandler } from '@routeware/core'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'

const root = fileURLToPath(new URL('./fixtures/refused/', import.meta.url))
const appDir = (name: string) => join(root, name, 'app')

interface Case {
  /** Folder under fixtures/refused. */
  name: string
  /** Next 16's message, verbatim (each entry must appear in the error message). */
  messages: string[]
  /** Route files involved, relative to the app dir. */
  files: string[]
}

const cases: Case[] = [
  {
    name: 'ambiguous-slugs',
    messages: [
      'Ambiguous app routes detected:',
      'Ambiguous route pattern "/blog/[*]" matches multiple routes:',
      'These routes cannot be distinguished from each other when matching URLs. Please ensure that dynamic segments have unique patterns or use different static segments.',
    ],
    files: ['blog/[id]/route.ts', 'blog/[cid]/route.ts'],
  },
  {
    name: 'optional-beside-route',
    messages: ['You cannot define a route with the same specificity as an optional catch-all route ("/sub" and "/sub/[[...all]]").'],
    files: ['sub/route.ts', 'sub/[[...all]]/route.ts'],
  },
  {
    name: 'optional-beside-root',
    messages: ['You cannot define a route with the same specificity as an optional catch-all route ("/" and "/[[...all]]").'],
    files: ['route.ts', '[[...all]]/route.ts'],
  },
  {
    name: 'groups-one-path',
    messages: ['Conflicting routes at /dup: route at /(b)/dup/route and route at /(a)/dup/route'],
    files: ['(a)/dup/route.ts', '(b)/dup/route.ts'],
  },
  {
    name: 'catch-all-not-last',
    messages: ['Catch-all must be the last part of the URL in route "/docs/[...rest]/more".'],
    files: ['docs/[...rest]/more/route.ts'],
  },
  {
    name: 'repeated-slug',
    messages: ['You cannot have the same slug name "id" repeat within a single dynamic path in route "/blog/[id]/comments/[id]".'],
    files: ['blog/[id]/comments/[id]/route.ts'],
  },
  {
    name: 'required-and-optional',
    messages: ['You cannot use both an required and optional catch-all route at the same level ("[...one]" and "[[...one]]" ).'],
    files: ['docs/[...one]/route.ts', 'docs/[[...one]]/route.ts'],
  },
  {
    name: 'optional-param',
    messages: ['Optional route parameters are not yet supported ("[[blog]]") in route "/blog/[[blog]]".'],
    files: ['blog/[[blog]]/route.ts'],
  },
]

/** The error carries Next's message and names every involved file, in `files` and in the text. */
function expectRefusal(error: unknown, c: Case) {
  expect(error).toBeInstanceOf(Error)
  const { message, files } = error as Error & { files?: readonly string[] }
  for (const text of c.messages) expect(message).toContain(text)
  const involved = c.files.map((f) => join(appDir(c.name), f))
  for (const file of involved) expect(message).toContain(file)
  expect([...(files ?? [])].sort()).toEqual([...involved].sort())
}

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

const expresses = [
  ['express 5', express5],
  ['express 4', express4],
] as const

describe.each(cases)('refused tree: $name', (c) => {
  const dir = appDir(c.name)

  it('createHandler rejects', async () => {
    expectRefusal(await rejection(createHandler({ dir })), c)
  })

  it.each(expresses)('%s: ready() rejects and requests reach the error handler with the same error', async (_name, express) => {
    const middleware = routesExpress({ dir })
    const app = express()
    app.use(middleware)
    const seen: unknown[] = []
    app.use((_req, res) => {
      res.status(404).send('host 404')
    })
    app.use((error: Error, _req: express5.Request, res: express5.Response, _next: express5.NextFunction) => {
      seen.push(error)
      res.status(500).send(`host error: ${error.message}`)
    })
    const readyError = await rejection(middleware.ready())
    expectRefusal(readyError, c)

    const response = await supertest(app).get('/')
    expect(response.status).toBe(500)
    expect(response.text).toContain(c.messages[0])
    const again = await supertest(app).get('/blog/1')
    expect(again.status).toBe(500)
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(readyError)
    expect(seen[1]).toBe(readyError)
  })

  it('an un-awaited express middleware never rejects unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const middleware = routesExpress({ dir })
      void middleware.ready()
      await new Promise((resolve) => setTimeout(resolve, 50))
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    expect(unhandled).toEqual([])
  })

  it('fastify: register then ready() rejects', async () => {
    const app = Fastify()
    app.register(routesFastify, { dir })
    const error = await rejection(app.ready())
    expectRefusal(error, c)
    await app.close().catch(() => {})
  })
})

describe('accepted tree: blog/[id] + blog/[cid]/comments (Next 16 accepts it)', () => {
  const dir = appDir('accepted-slug-depths')

  it('createHandler serves both routes', async () => {
    const handle = await createHandler({ dir })
    const one = await handle(new Request('http://x/blog/1'))
    expect(one.status).toBe(200)
    expect(await one.json()).toEqual({ id: '1' })
    const two = await handle(new Request('http://x/blog/2/comments'))
    expect(two.status).toBe(200)
    expect(await two.json()).toEqual({ cid: '2' })
  })

  it.each(expresses)('%s serves both routes', async (_name, express) => {
    const middleware = routesExpress({ dir })
    await middleware.ready()
    const app = express()
    app.use(middleware)
    await supertest(app).get('/blog/1').expect(200, { id: '1' })
    await supertest(app).get('/blog/2/comments').expect(200, { cid: '2' })
    await middleware.close()
  })

  it('fastify serves both routes', async () => {
    const app = Fastify()
    await app.register(routesFastify, { dir })
    await app.ready()
    const one = await app.inject('/blog/1')
    expect(one.statusCode).toBe(200)
    expect(one.json()).toEqual({ id: '1' })
    const two = await app.inject('/blog/2/comments')
    expect(two.statusCode).toBe(200)
    expect(two.json()).toEqual({ cid: '2' })
    await app.close()
  })
})
