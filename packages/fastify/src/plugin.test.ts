/** What only the Fastify plugin does: how it registers, and that the host's own routes never meet it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import routes, { type FastifyRoutesOptions } from './index.js'

const dir = fileURLToPath(new URL('../test-fixtures/plugin/app', import.meta.url))
const apps: FastifyInstance[] = []

async function start(options: Partial<FastifyRoutesOptions> = {}, before?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify()
  apps.push(app)
  before?.(app)
  await app.register(routes, { dir, ...options })
  await app.ready()
  return app
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

describe('registration', () => {
  it('lists every route file as a native route, and one wildcard per prefix', async () => {
    const app = await start({ prefix: '/api' })
    expect(app.printRoutes({ commonPrefix: false })).toBe(
      [
        '└── /api (GET, HEAD, OPTIONS, POST)',
        '    └── / (GET, HEAD, OPTIONS, POST)',
        '        ├── blog/new (GET, HEAD, OPTIONS, POST)',
        '        ├── blog/:p1 (GET, HEAD, OPTIONS, POST)',
        '        ├── docs (GET, HEAD, OPTIONS, POST)',
        '        │   └── * (GET, HEAD, OPTIONS, POST)',
        '        ├── hello (GET, HEAD, OPTIONS, POST)',
        '        ├── users/:p1 (GET, HEAD, OPTIONS, POST)',
        '        └── * (GET, HEAD, TRACE, DELETE, OPTIONS, PATCH, PUT, POST, QUERY)',
        '',
      ].join('\n'),
    )
  })

  it('in dev, serves a file added after start through the wildcard, also at the prefix itself', async () => {
    const live = mkdtempSync(join(tmpdir(), 'routeware-fastify-dev-'))
    try {
      mkdirSync(join(live, 'hello'))
      writeFileSync(join(live, 'hello', 'route.js'), "export const GET = () => new Response('hello')\n")
      const app = await start({ dir: live, dev: true, prefix: '/api' })
      expect((await app.inject('/api')).statusCode).toBe(404)
      writeFileSync(join(live, 'route.js'), "export const GET = () => new Response('new root')\n")
      mkdirSync(join(live, 'later'))
      writeFileSync(join(live, 'later', 'route.js'), "export const GET = () => new Response('later')\n")
      const served = async (url: string, body: string) => {
        for (let i = 0; i < 300 && (await app.inject(url)).body !== body; i++) await new Promise((r) => setTimeout(r, 50))
        return (await app.inject(url)).body
      }
      expect(await served('/api', 'new root')).toBe('new root')
      expect(await served('/api/later', 'later')).toBe('later')
    } finally {
      rmSync(live, { recursive: true, force: true })
    }
  }, 30_000)

  it('registers the same routes in dev', async () => {
    const prod = (await start({ dev: false })).printRoutes({ commonPrefix: false })
    expect((await start({ dev: true })).printRoutes({ commonPrefix: false })).toBe(prod)
  })

  it('registers every file for one method set (the methods any file serves), so Fastify picks the route core would', async () => {
    const app = await start()
    // /blog/new exports only POST: a GET is its 405, not /blog/[slug]'s 200 (Next matches the path first).
    const get = await app.inject({ method: 'GET', url: '/blog/new' })
    expect(get.statusCode).toBe(405)
    expect(get.headers.allow).toBe('OPTIONS, POST')
    expect((await app.inject({ method: 'POST', url: '/blog/new' })).statusCode).toBe(201)
    expect((await app.inject({ method: 'GET', url: '/blog/first' })).json()).toEqual({ slug: 'first' })
    // Methods no file serves are the wildcard's: a 405 with Allow, TRACE's 400.
    const put = await app.inject({ method: 'PUT', url: '/hello' })
    expect([put.statusCode, put.headers.allow]).toEqual([405, 'GET, HEAD, OPTIONS'])
    expect((await app.inject({ method: 'TRACE', url: '/hello' })).statusCode).toBe(400)
  })

  it('reads params from the raw path as core does, whoever matched', async () => {
    const app = await start()
    expect((await app.inject('/users/7')).json()).toEqual({ id: '7' })
    expect((await app.inject('/users/a%2Fb')).json()).toEqual({ id: 'a/b' })
    expect((await app.inject('/docs')).json()).toEqual({})
    expect((await app.inject('/docs/a/b%2Fc')).json()).toEqual({ slug: ['a', 'b/c'] })
    // Longer than find-my-way's maxParamLength (100): the wildcard's, still served.
    const long = 'x'.repeat(150)
    expect((await app.inject(`/users/${long}`)).json()).toEqual({ id: long })
  })

  // Dot segments too (test/routing.test.ts, over a socket: inject resolves them first).
  it('answers non-canonical paths below the prefix with the 308 and leaves the rest to the host', async () => {
    const app = await start({ prefix: '/api' })
    for (const [url, location] of [['/api/hello/', '/api/hello'], ['/api//hello?x=1', '/api/hello?x=1'], ['/api/%68ello', '/api/hello']]) {
      const res = await app.inject(url!)
      expect([url, res.statusCode, res.headers.location]).toEqual([url, 308, location])
    }
    expect((await app.inject('/api/users/%zz')).statusCode).toBe(400)
    expect((await app.inject('/api/nothing/')).statusCode).toBe(404)
    expect((await app.inject('//api/hello')).statusCode).toBe(404)
  })
})

describe("the host's own routes", () => {
  it('run no Routeware code: no hook of its own, and nothing of the request read', async () => {
    let reads = 0
    const app = await start({}, (host) => {
      // The first hook of the host: from here on, count who reads the raw URL.
      host.addHook('onRequest', async function countRawUrlReads(request) {
        const url = request.raw.url
        Object.defineProperty(request.raw, 'url', { configurable: true, get: () => (reads++, url) })
      })
      host.get('/host/:id', async (request) => ({ id: (request.params as { id: string }).id }))
    })
    for (const url of ['/host/1', '/host/1?x=y', '/host/%61']) {
      const res = await app.inject(url)
      expect(res.statusCode).toBe(200)
    }
    expect(reads).toBe(0)
    // The host route's hooks are the host's own, and only those.
    const printed = app.printRoutes({ includeHooks: true, commonPrefix: false }).split('\n')
    const after = printed.slice(printed.findIndex((line) => line.includes('host/:id (GET)')) + 1)
    const hooks = after.slice(0, after.findIndex((line) => !line.includes('•'))).map((line) => line.slice(line.indexOf('•')))
    expect(hooks).toEqual(['• (onRequest) ["countRawUrlReads()"]'])
    // The same trap on one of ours shows that it would have caught a read.
    await app.inject('/hello')
    expect(reads).toBeGreaterThan(0)
  })

  it('a route file colliding with a host route registered before is refused, naming the file', async () => {
    await expect(start({}, (host) => host.get('/users/:id', async () => 'host'))).rejects.toThrow(expect.objectContaining({
      code: 'ROUTEWARE_ROUTE_COLLISION',
      message: expect.stringMatching(/users[\\/]\[id\][\\/]route\.js/),
    }))
  })

  it('a host route added after Routeware at one of its routes is refused, naming the file', async () => {
    const app = Fastify()
    apps.push(app)
    await app.register(routes, { dir })
    expect(() => app.get('/hello', async () => 'host')).toThrow(expect.objectContaining({
      code: 'ROUTEWARE_ROUTE_COLLISION',
      message: expect.stringMatching(/GET \/hello collides with the route file .*hello[\\/]route\.js/),
    }))
    expect(() => app.get('/*', async () => 'spa')).toThrow(/GET \/\* collides with the wildcard route .*Register your route before @routeware\/fastify/s)
    // Elsewhere, and under another constraint, the host registers as it likes.
    app.get('/elsewhere', async () => 'host')
    app.get('/hello', { constraints: { host: 'other.example' } }, async () => 'other host')
    expect((await app.inject({ url: '/hello', headers: { host: 'other.example' } })).body).toBe('other host')
  })

  it('a host wildcard registered before Routeware keeps its methods', async () => {
    const app = await start({}, (host) => host.get('/*', async () => 'spa'))
    expect((await app.inject('/hello')).body).toBe('hello')
    expect((await app.inject('/anything/else')).body).toBe('spa')
    expect((await app.inject({ method: 'DELETE', url: '/hello' })).statusCode).toBe(405)
  })
})
