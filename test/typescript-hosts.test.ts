/**
 * TypeScript route files wherever the host runs: plain `node` (Node 20 has no TypeScript at all;
 * Node 22/24 strip types but refuse enums and extensionless imports), `tsx`, this very vitest
 * process, and an app compiled to JavaScript. Each host serves the same tree with a `paths` alias,
 * enums, type-only and extensionless imports, and one instance of a module that several route
 * files (and, under tsx, the host itself) import.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHandler } from '@routeware/core'
import { fixture as appFixture, forEachTargetStartup } from './_suite.js'

const fixture = fileURLToPath(new URL('./fixtures/ts-host/', import.meta.url))
const require = createRequire(import.meta.url)
const children: ChildProcess[] = []
const scratch = fileURLToPath(new URL(`./.tmp/ts-host-${process.pid}/`, import.meta.url))
afterAll(() => {
  for (const child of children) child.kill('SIGTERM')
  rmSync(scratch, { recursive: true, force: true })
})

function run(args: string[]): { origin: Promise<string>; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, args, { cwd: fixture, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  const origin = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const found = /listening on (http:\/\/\S+)/.exec(output)
      if (found) resolve(found[1]!)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)))
  })
  origin.catch(() => {}) // awaited by the tests that expect a server; a compiler run never listens
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { origin, output: () => output, exited }
}

const getJson = async (origin: string, path: string) => {
  const res = await fetch(origin + path)
  expect(res.status, `${path}: ${res.status}`).toBe(200)
  return (await res.json()) as { kind: string; pool: string; loads: number; id?: string | null }
}

/** Both route files answer, share one `lib/db` instance, and that module was evaluated once. */
async function expectServed(origin: string, paths: string[]) {
  const bodies = await Promise.all(paths.map((path) => getJson(origin, path)))
  expect(bodies.map((b) => b.kind)).toEqual(paths.map((p) => p.slice(1)))
  expect(new Set(bodies.map((b) => b.pool)).size).toBe(1)
  expect(bodies.every((b) => b.loads === 1)).toBe(true)
  return bodies[0]!.pool
}

describe('TypeScript route files in every host', () => {
  it(`plain node ${process.version}, no loader: jiti compiles them (paths alias, enums, extensionless imports)`, async () => {
    const server = run(['server.mjs'])
    await expectServed(await server.origin, ['/alias', '/relative'])
  }, 30000)

  it('tsx: plain import(), so the host and the route files share one instance of lib/db', async () => {
    const server = run([require.resolve('tsx/cli'), 'server.ts'])
    const origin = await server.origin
    const pool = await expectServed(origin, ['/alias', '/relative'])
    expect((await getJson(origin, '/host-pool')).id).toBe(pool)
  }, 30000)

  it('an app compiled by tsc: node serves app/**/route.js beside the compiled server.js', async () => {
    const out = join(scratch, 'compiled')
    const tsc = run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.compiled.json', '--outDir', out])
    expect(await tsc.exited, tsc.output()).toBe(0)
    writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n')
    const server = run([join(out, 'server.js')])
    const origin = await server.origin
    const body = await getJson(origin, '/relative')
    expect(body).toMatchObject({ kind: 'relative', loads: 1 })
    expect((await getJson(origin, '/host-pool')).id).toBe(body.pool)
    expect((await fetch(origin + '/alias')).status).toBe(404)
  }, 60000)

  it('vitest (this process): the same tree loads and answers', async () => {
    const handle = await createHandler({ dir: join(fixture, 'app') })
    const alias = (await (await handle(new Request('http://x/alias'))).json()) as { kind: string; pool: string }
    const relative = (await (await handle(new Request('http://x/relative'))).json()) as { kind: string; pool: string }
    expect([alias.kind, relative.kind]).toEqual(['alias', 'relative'])
    expect(alias.pool).toBe(relative.pool)
  })
})

// On every target: the start-up fails naming the file and the line to look at.
forEachTargetStartup('a route file with a syntax error', { options: { dir: appFixture('broken') } }, (t) => {
  t.test('the error names it as file:line:column', () => {
    const error = t.failure()
    expect(error.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(error.message).toMatch(new RegExp(`Failed to load route file ${escape(join(appFixture('broken'), 'bad/route.ts'))}[^]*route\\.ts:3:\\d`))
  })
})

forEachTargetStartup('a route file importing a module that cannot be found', { options: { dir: appFixture('missing-import') } }, (t) => {
  t.test('the error names the module, and the line that imports it', () => {
    const dir = appFixture('missing-import')
    const { message } = t.failure()
    expect(message).toContain(`Failed to load route file ${join(dir, 'missing/route.ts')}`)
    expect(message).toContain("Cannot find module '../lib/missing'")
    expect(message).toContain(`imported at ${join(dir, 'missing/route.ts')}:2`)
  })
})

forEachTargetStartup('a route file importing a module whose own import fails', { options: { dir: appFixture('nested-import') } }, (t) => {
  t.test('the error names that module and its line', () => {
    expect(t.failure().message).toContain(`imported at ${join(appFixture('nested-import'), 'lib/helper.ts')}:2`)
  })
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
