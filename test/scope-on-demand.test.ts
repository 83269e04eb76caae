/**
 * Nothing on import, and the request scope only for apps that use it (issue 11). Each case runs in
 * a fresh `node` process (the scope, once on, stays on for the process): it imports a package
 * entry or serves a temp tree, then reports whether the request scope's AsyncLocalStorage exists
 * (`Symbol.for('routeware.requestScope.v1')` on `globalThis`, where core keeps it), whether async
 * hooks are installed (what AsyncLocalStorage costs every request on Node 20/22), and which process
 * listeners and active resources (timers, sockets, watchers; not stdio's pipes) appeared.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const scratch = fileURLToPath(new URL(`./.tmp/scope-on-demand-${process.pid}/`, import.meta.url))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface State {
  scope: boolean
  asyncHooks: boolean
  listeners: string[]
  resources: string[]
}

/** The state the probe reports, as `state(label)` in the scripts below. */
const PRELUDE = `
import { createRequire } from 'node:module'
const { initHooksExist } = createRequire(import.meta.url)('internal/async_hooks')
const listeners0 = process.eventNames().map(String)
const resources0 = process.getActiveResourcesInfo()
const states = {}
const state = (label) => {
  // stdio's own handles aside: Node 20 opens stderr when the global \`Request\` (undici) first loads.
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap')
  for (const r of resources0) if (resources.includes(r)) resources.splice(resources.indexOf(r), 1)
  states[label] = {
    scope: Symbol.for('routeware.requestScope.v1') in globalThis,
    asyncHooks: initHooksExist(),
    listeners: process.eventNames().map(String).filter((e) => !listeners0.includes(e)),
    resources,
  }
}
/** Let what a request scheduled on its way out (setImmediate) run first. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
const report = (extra = {}) => console.log('PROBE ' + JSON.stringify({ states, ...extra }))
`

/** Write `files` under a fresh directory, run `script` there in a fresh node, return what it reported. */
async function probe(name: string, files: Record<string, string>, script: string): Promise<{ states: Record<string, State>; [key: string]: unknown }> {
  const dir = join(scratch, name)
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  writeFileSync(join(dir, 'probe.mjs'), PRELUDE + script)
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--expose-internals', join(dir, 'probe.mjs')], { cwd: dir, timeout: 60_000 }, (error, out, err) => {
      if (error) reject(new Error(`${name}: ${error.message}\n${out}\n${err}`))
      else resolve(out)
    })
  })
  const line = /^PROBE (.*)$/m.exec(stdout)
  if (!line) throw new Error(`${name}: no report in\n${stdout}`)
  return JSON.parse(line[1]!)
}

const nothing: State = { scope: false, asyncHooks: false, listeners: [], resources: [] }

describe('importing the packages does no work', () => {
  it('@routeware/core (the root, what a host imports for createHandler) turns nothing on', async () => {
    const { states } = await probe('root', {}, `await import('@routeware/core'); state('imported'); report()`)
    expect(states.imported).toEqual(nothing)
  })

  it('@routeware/fastify and @routeware/express turn nothing on', async () => {
    const { states } = await probe('adapters', {}, `await import('@routeware/fastify'); await import('@routeware/express'); state('imported'); report()`)
    expect(states.imported).toEqual(nothing)
  })

  it('@routeware/core/headers (next/headers) is the module that turns the request scope on', async () => {
    const { states } = await probe('headers', {}, `await import('@routeware/core/headers'); state('imported'); report()`)
    expect(states.imported!.scope).toBe(true)
  })
})

const plainRoute = `import { NextResponse } from '@routeware/core'
export async function GET(request, { params }) {
  const { id } = await params
  return NextResponse.json({ id })
}
`

describe('the request scope is on only for a tree that uses it', () => {
  it('Fastify: the plugin over a tree that uses no request-scoped helper leaves nothing on, and the host route answers', async () => {
    const { states, host, routed } = await probe(
      'fastify-plain',
      { 'app/rw/users/[id]/route.js': plainRoute },
      `import Fastify from 'fastify'
import routes from '@routeware/fastify'
const app = Fastify({ logger: false })
app.get('/users/:id', async (request) => ({ id: request.params.id }))
await app.register(routes, { dir: new URL('./app', import.meta.url).pathname })
await app.ready()
await settle()
state('registered')
const host = (await app.inject('/users/7')).body
const routed = (await app.inject('/rw/users/8')).body
await settle()
state('served')
await app.close()
report({ host, routed })`,
    )
    expect(host).toBe('{"id":"7"}')
    expect(routed).toBe('{"id":"8"}')
    expect(states.registered).toEqual(nothing)
    expect(states.served).toEqual(nothing)
  })

  it('createHandler: a handler that calls cookies() from the package root turns the scope on at start-up', async () => {
    const { states, body } = await probe(
      'root-cookies',
      { 'app/who/route.js': `import { cookies } from '@routeware/core'\nexport async function GET() {\n  return Response.json({ who: (await cookies()).get('who')?.value })\n}\n` },
      `import { createHandler } from '@routeware/core'
const handle = await createHandler({ dir: new URL('./app', import.meta.url).pathname })
state('ready')
const body = await (await handle(new Request('http://x/who', { headers: { cookie: 'who=ada' } }))).text()
report({ body })`,
    )
    expect(states.ready!.scope).toBe(true)
    expect(body).toBe('{"who":"ada"}')
  })

  it('createHandler: cookies() reached through a helper the handler calls works on the first request, which turns the scope on', async () => {
    const { states, first, second } = await probe(
      'helper-cookies',
      {
        'app/lib/who.js': `import { cookies } from '@routeware/core'\nexport const readWho = async () => (await cookies()).get('who')?.value\n`,
        'app/who/route.js': `import { readWho } from '../lib/who.js'\nexport async function GET() {\n  const who = await readWho()\n  return Response.json({ who })\n}\n`,
      },
      `import { createHandler } from '@routeware/core'
const handle = await createHandler({ dir: new URL('./app', import.meta.url).pathname })
state('ready')
const get = async (who) => (await handle(new Request('http://x/who', { headers: { cookie: 'who=' + who } }))).text()
const first = await get('ada')
state('served')
const second = await get('grace')
report({ first, second })`,
    )
    expect(states.ready!.scope).toBe(false)
    expect(first).toBe('{"who":"ada"}')
    expect(second).toBe('{"who":"grace"}')
    expect(states.served!.scope).toBe(true)
  })

  it('createHandler: cookies() reached after an await in a helper, before anything turned the scope on, fails that request (Next\'s message) and turns it on for the next', async () => {
    const { states, first, second, errors } = await probe(
      'late-cookies',
      {
        'app/lib/who.js': `import { cookies } from '@routeware/core'\nexport const readWho = async () => {\n  await null\n  return (await cookies()).get('who')?.value\n}\n`,
        'app/who/route.js': `import { readWho } from '../lib/who.js'\nexport async function GET() {\n  return Response.json({ who: await readWho() })\n}\n`,
      },
      `import { createHandler } from '@routeware/core'
const errors = []
const handle = await createHandler({ dir: new URL('./app', import.meta.url).pathname, logger: { error: (...args) => errors.push(args.map((a) => String(a?.message ?? a?.err?.message ?? a)).join(' ')), warn() {}, info() {} } })
const get = async (who) => { const res = await handle(new Request('http://x/who', { headers: { cookie: 'who=' + who } })); return res.status + ' ' + (await res.text()) }
const first = await get('ada')
state('served')
const second = await get('grace')
report({ first, second, errors })`,
    )
    expect(first).toBe('500 ')
    expect(JSON.stringify(errors)).toContain('was called outside a request scope')
    expect(states.served!.scope).toBe(true)
    expect(second).toBe('200 {"who":"grace"}')
  })
})
