/**
 * TypeScript route files wherever the host runs: plain `node` (Node 20 has no TypeScript at all;
 * Node 22/24 strip types but refuse enums and extensionless imports), `tsx`, this very vitest
 * process, and an app compiled to JavaScript. Each host serves the same tree with a `paths` alias,
 * enums, type-only and extensionless imports, and one instance of a module that several route
 * files (and, under tsx, the host itself) import.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createHandler } from '@routeware/core'

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

describe('a route file that fails to load names the file and the line', () => {
  const broken = (name: string) => {
    const dir = join(scratch, `broken-${name}`)
    mkdirSync(join(dir, name), { recursive: true })
    return dir
  }

  it('a syntax error: file:line:column', async () => {
    const dir = broken('syntax')
    writeFileSync(join(dir, 'syntax/route.ts'), 'export const GET = () => {\n  return new Response("x"\n}\n')
    await expect(createHandler({ dir })).rejects.toThrow(new RegExp(`Failed to load route file ${escape(join(dir, 'syntax/route.ts'))}[^]*route\\.ts:3:\\d`))
  })

  it('an import that cannot be found: the module, and the line that imports it', async () => {
    const dir = broken('missing')
    writeFileSync(join(dir, 'missing/route.ts'), "// a comment first\nimport { missing } from '../lib/missing'\n\nexport const GET = () => new Response(String(missing))\n")
    const error = await createHandler({ dir }).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(error?.message).toContain(`Failed to load route file ${join(dir, 'missing/route.ts')}`)
    expect(error?.message).toContain("Cannot find module '../lib/missing'")
    expect(error?.message).toContain(`imported at ${join(dir, 'missing/route.ts')}:2`)
  })

  it('an import error inside a module the route imports names that module and its line', async () => {
    const dir = broken('nested')
    mkdirSync(join(dir, 'lib'))
    writeFileSync(join(dir, 'lib/helper.ts'), "export const ok = 1\nexport { gone } from './gone'\n")
    writeFileSync(join(dir, 'nested/route.ts'), "import { ok } from '../lib/helper'\nexport const GET = () => new Response(String(ok))\n")
    await expect(createHandler({ dir })).rejects.toThrow(`imported at ${join(dir, 'lib/helper.ts')}:2`)
  })
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
