/** What only the Fastify plugin does: native routes, host hooks, inject, collisions, its logger. */
import { describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import fc from 'fast-check'
import supertest from 'supertest'
import routes from '@routeware/fastify'
import { buildRoutes, type RouteDefinition, type RouteFile } from '../packages/core/dist/tree/build.js'
import { createMatcher } from '../packages/core/dist/tree/match.js'
import { fitsSegments } from '../packages/core/dist/tree/match-hint.js'
import { toFastifyPaths } from '../packages/fastify/dist/to-fastify-path.js'
import { fixture } from './_suite.js'

describe('@routeware/fastify', () => {
  it('registers every route file as a native route that printRoutes() lists and inject() reaches', async () => {
    const app = Fastify()
    await app.register(routes, { dir: fixture('basic'), prefix: '/api' })
    await app.ready()
    const printed = app.printRoutes()
    expect(printed).toContain('hello')
    expect(printed).toMatch(/:p1/)
    const res = await app.inject({ method: 'GET', url: '/api/params/5' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ params: { id: '5' }, basePath: '/api', pathname: '/params/5' })
    await app.close()
  })

  it('runs the host\'s hooks, and onSend sees the response that Routeware sends through reply', async () => {
    const app = Fastify()
    const seen: string[] = []
    app.addHook('onRequest', async (request) => {
      seen.push(`onRequest ${request.url}`)
    })
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-on-send', 'yes')
      return Buffer.isBuffer(payload) || typeof payload === 'string' ? String(payload).toUpperCase() : payload
    })
    await app.register(routes, { dir: fixture('basic') })
    await app.ready()
    const res = await supertest(app.server).get('/')
    expect(res.text).toBe('ROOT')
    expect(res.headers['x-on-send']).toBe('yes')
    expect(seen).toContain('onRequest /')
    await app.close()
  })

  it('keeps the host\'s own body parsers for the host\'s routes', async () => {
    const app = Fastify()
    app.post('/host-json', async (request) => ({ parsed: request.body }))
    await app.register(routes, { dir: fixture('requests') })
    await app.ready()
    const host = await supertest(app.server).post('/host-json').send({ a: 1 })
    expect(host.body).toEqual({ parsed: { a: 1 } })
    const ours = await supertest(app.server).post('/text').set('content-type', 'application/json').send('{ "a" :  1 }')
    expect(ours.text).toBe('{ "a" :  1 }')
    await app.close()
  })

  it('refuses a route file that collides with a host route, naming the file', async () => {
    const app = Fastify()
    app.get('/hello', async () => 'host')
    await expect(app.register(routes, { dir: fixture('basic') })).rejects.toThrow(/hello[\\/]route\.ts.*collides with a Fastify route/s)
  })

  it('issue #17: a parametric prefix serves (it answered 404 for every path); nested under a parent prefix too', async () => {
    const app = Fastify()
    await app.register(async (parent) => {
      await parent.register(routes, { dir: fixture('basic'), prefix: '/t/:tenant' })
    }, { prefix: '/v1' })
    await app.ready()
    const res = await supertest(app.server).get('/v1/t/acme/params/5')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ params: { id: '5' }, basePath: '/v1/t/acme', pathname: '/params/5' })
    await app.close()
  })

  it('issue #17: a prefix segment Routeware cannot resolve (regex, two params, wildcard) is refused at register, naming the option and the fix', async () => {
    for (const prefix of ['/t/:id(^\\d+$)', '/t/:a-:b', '/t/*']) {
      const app = Fastify()
      await expect(app.register(routes, { dir: fixture('basic'), prefix })).rejects.toMatchObject({
        code: 'ROUTEWARE_INVALID_OPTION',
        message: expect.stringContaining('A prefix may hold whole-segment parameters only (`/t/:tenant`)'),
      })
      await app.close()
    }
  })

  it('two mounts of two trees coexist', async () => {
    const app = Fastify()
    await app.register(routes, { dir: fixture('basic'), prefix: '/a' })
    await app.register(routes, { dir: fixture('requests'), prefix: '/b' })
    await app.ready()
    expect((await supertest(app.server).get('/a/hello')).body.basePath).toBe('/a')
    expect((await supertest(app.server).post('/b/text').send('hi')).text).toBe('hi')
    await app.close()
  })

  it('sends the content-type a handler set, unchanged (no charset added to a string body)', async () => {
    const app = Fastify()
    await app.register(routes, { dir: fixture('basic') })
    const res = await app.inject({ method: 'GET', url: '/hello' })
    expect(res.headers['content-type']).toBe('application/json')
    const text = await app.inject({ method: 'GET', url: '/bodies?kind=string' })
    expect(text.headers['content-type']).toBe('text/plain;charset=UTF-8')
    await app.close()
  })
})

// find-my-way's match stands in for core's on the Fastify adapter: core skips its trie walk when
// the route find-my-way matched fits the path's segments (find-my-way also lets a param match an
// empty segment, `/` for `/:p0`, which core then refuses and walks). So whenever it fits, it must
// be the route core's own walk picks: random trees, random canonical paths.
const FOLDERS = ['a', 'b', 'ab', 'A', 'x.json', 'constructor', '__proto__', '-', 'a:b', 'a*b', 'q(1)', '(g)', '[id]', '[slug]', '[...rest]', '[[...opt]]', '[...all]', '[[...maybe]]']
const SEGMENTS = ['a', 'b', 'ab', 'A', 'x.json', 'constructor', '__proto__', '-', 'a:b', 'a*b', 'q(1)', 'c', 'toString', 'x']

describe('find-my-way agrees with core on precedence', () => {
  it('matches the route core matches, for random trees and canonical paths (fast-check)', async () => {
    const tree = fc
      .uniqueArray(fc.array(fc.constantFrom(...FOLDERS), { maxLength: 4 }), { minLength: 1, maxLength: 12, selector: (f) => f.join('/') })
      .map((list): RouteFile[] => list.map((folders) => ({ relFile: [...folders, 'route.ts'].join('/'), file: `/app/${[...folders, 'route.ts'].join('/')}` })))
    const paths = fc.array(fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,4}$/) }), { maxLength: 5 }), { minLength: 1, maxLength: 20 })
    let compared = 0
    await fc.assert(
      fc.asyncProperty(tree, paths, async (files, requests) => {
        let definitions: RouteDefinition[]
        try {
          definitions = buildRoutes(files)
        } catch {
          return // a tree Next refuses
        }
        const app = Fastify()
        for (const definition of definitions) {
          for (const url of toFastifyPaths(definition)) app.get(url, async () => definition.path)
        }
        await app.ready()
        const matcher = createMatcher(definitions.map((definition) => ({ definition })))
        const byPath = new Map(definitions.map((d) => [d.path, d]))
        // Paths shaped like the tree's own routes, param values drawn from the same segments.
        const shaped = definitions.flatMap((d) =>
          requests.slice(0, 3).map((values) => d.segments.flatMap((segment, i) => (segment.kind === 'static' ? [segment.value] : segment.kind === 'dynamic' ? [values[i] ?? 'x'] : values.slice(i)))),
        )
        for (const segments of [...requests, ...shaped]) {
          const res = await app.inject('/' + segments.join('/'))
          const hint = res.statusCode === 200 ? byPath.get(res.body) : undefined
          const core = matcher.match(segments)?.definition.path
          if (hint && fitsSegments(hint, segments)) {
            expect(hint.path, `${JSON.stringify(segments)} in ${JSON.stringify(definitions.map((d) => d.path))}`).toBe(core)
            compared++
          }
        }
        await app.close()
      }),
      { numRuns: 1500 },
    )
    expect(compared).toBeGreaterThan(1500)
  }, 60_000)
})
