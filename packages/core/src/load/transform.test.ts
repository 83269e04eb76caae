/**
 * The transform behind jiti (transform.ts) and its cache (transform-cache.ts): modules written to
 * a temp dir and loaded through jiti as the loaders do, so what is checked is what a route file
 * gets: ES module semantics (live bindings, hoisted exports, cycles, `import.meta`, `import()`,
 * top-level await), TypeScript that needs more than erasure, lines that stay the source's.
 */
import { createJiti } from 'jiti'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createTransformCache } from './transform-cache.js'
import { transformForJiti } from './transform.js'

const root = mkdtempSync(join(tmpdir(), 'routeware-transform-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let counter = 0
/** Write `files` under a fresh directory; returns a function that imports one of them through jiti. */
function tree(files: Record<string, string>) {
  const dir = join(root, `t${counter++}`)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  const jiti = createJiti(join(dir, '_index.js'), { moduleCache: false, interopDefault: false, tsconfigPaths: true, fsCache: false, transform: transformForJiti })
  return { dir, load: (name: string) => jiti.import(join(dir, name)) as Promise<Record<string, any>> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('transformForJiti through jiti', () => {
  it('compiles enums, namespaces and parameter properties, and honours tsconfig paths', async () => {
    const { load } = tree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
      'lib/kinds.ts': `export enum Kind { A = 'a', B = 'b' }\nexport enum Num { Zero, One }\nexport namespace NS { export const x: number = 1 }\n`,
      'route.ts': `import { Kind, Num, NS } from '@/lib/kinds'\nimport type { Missing } from './nowhere'\nclass P { constructor(private readonly v: string) {} get(): string { return this.v } }\nexport const GET = (): string[] => [Kind.B, Num[1]!, String(NS.x), new P('p').get()]\n`,
    })
    expect((await load('route.ts')).GET()).toEqual(['b', 'One', '1', 'p'])
  })

  it('keeps live bindings, hoisted function exports and cycles working as ES modules do', async () => {
    const { load } = tree({
      'counter.ts': `export let count = 0\nexport function bump(): void { count++ }\n`,
      'a.ts': `import { fromB } from './b'\nexport function fromA(): string { return 'a' }\nexport const both = (): string => fromA() + fromB()\n`,
      // b runs first (a imports it) and calls a's hoisted function while a is still loading.
      'b.ts': `import { fromA } from './a'\nexport const early: string = fromA()\nexport function fromB(): string { return 'b' }\n`,
      'route.ts': `import { count, bump } from './counter'\nimport { both } from './a'\nimport { early } from './b'\nbump()\nexport const seen = [count, both(), early]\n`,
    })
    expect((await load('route.ts')).seen).toEqual([1, 'ab', 'a'])
  })

  it('every import and export form', async () => {
    const { load } = tree({
      'lib.ts': `export const a = 1\nexport default function () { return 'anon' }\nexport class K {}\nexport function who(this: unknown) { return this }\n`,
      'expr.ts': `export default 40 + 2\n`,
      'cls.ts': `export default class { static id = 'cls' }\n`,
      'more.ts': `export const m = 'm'\nexport const a = 'shadowed by route.ts'\n`,
      'data.json': `{ "k": "json" }`,
      'route.ts': [
        `import def, * as ns from './lib'`,
        `import { a as renamed, who } from './lib'`,
        `import expr from './expr'`,
        `import Cls from './cls'`,
        `import data from './data.json' with { type: 'json' }`,
        `import { join } from 'node:path'`,
        `export * from './more'`,
        `export * as nsMore from './more'`,
        `export { a as reA, default as libDefault } from './lib'`,
        `export { renamed, expr as answer }`,
        `export const a = 'own'`,
        `const local = 'local'`,
        `export { local as default }`,
        `const shorthand = { renamed }`,
        `function shadow(renamed: number) { return renamed }`,
        `export const values = [def(), ns.a, renamed, ns.K === ns.K, who(), expr, Cls.id, data.k, join('x', 'y'), shorthand.renamed, shadow(7), this]`,
      ].join('\n'),
    })
    const mod = await load('route.ts')
    expect(mod.values).toEqual(['anon', 1, 1, true, undefined, 42, 'cls', 'json', join('x', 'y'), 1, 7, undefined])
    expect(mod.m).toBe('m')
    expect(mod.a).toBe('own')
    expect(mod.nsMore.m).toBe('m')
    expect([mod.reA, typeof mod.libDefault, mod.renamed, mod.answer, mod.default]).toEqual([1, 'function', 1, 42, 'local'])
  })

  it('an imported name shadowed by a local declaration is left alone; elsewhere it reads the import', async () => {
    const { load } = tree({
      'lib.ts': `export const pool = { id: 'P' }\nexport function helper(this: unknown): string { return this === undefined ? 'no this' : 'this' }\nexport class Base { base = 'base' }\n`,
      'route.ts': [
        `import { pool, helper, Base } from './lib'`,
        `export default async function () { return 'anonymous async' }`,
        `export class Child extends Base {}`,
        `const obj = { pool() { return 'method' }, other: pool }`,
        `const { a = pool } = {} as { a?: typeof pool }`,
        `function shadow() { let pool = 'local'; { function helper() { return 'inner' } return [pool, helper()] } }`,
        `class K { f = () => pool.id; static s = helper() }`,
        `export const results: unknown[] = [obj.pool(), obj.other.id, a.id, shadow(), new K().f(), K.s, typeof pool, new Child().base]`,
        `for (let pool = 0; pool < 1; pool++) results.push(pool)`,
        `try { throw 1 } catch (pool) { results.push(pool) }`,
        `label: for (const pool of [2]) { results.push(pool); continue label }`,
      ].join('\n'),
    })
    const mod = await load('route.ts')
    expect(mod.results).toEqual(['method', 'P', 'P', ['local', 'inner'], 'P', 'no this', 'object', 'base', 0, 1, 2])
    expect(await mod.default()).toBe('anonymous async')
  })

  it('import.meta, import() and top-level await', async () => {
    const { dir, load } = tree({
      'later.ts': `export const later: string = 'later'\n`,
      'route.ts': `const { later } = await import('./later')\nexport const meta = [import.meta.url, import.meta.filename, import.meta.dirname, later]\n`,
    })
    expect((await load('route.ts')).meta).toEqual([pathToFileURL(join(dir, 'route.ts')).href, join(dir, 'route.ts'), dir, 'later'])
  })

  it('keeps the source lines: a stack trace names the line of the source', async () => {
    const { dir, load } = tree({
      'route.ts': [
        `enum Color {`,
        `  Red = 'red',`,
        `}`,
        `interface Shape {`,
        `  color: Color`,
        `}`,
        `export function GET(): never {`,
        `  const shape: Shape = { color: Color.Red }`,
        `  throw new Error(shape.color)`,
        `}`,
      ].join('\n'),
    })
    const mod = await load('route.ts')
    const error = (() => {
      try {
        mod.GET()
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.stack).toContain(`${join(dir, 'route.ts')}:9:`)
  })
})

describe('transformForJiti errors', () => {
  it('a TypeScript syntax error names file:line:column, as jiti reports it', () => {
    const { code } = transformForJiti({ source: 'export const GET = () => {\n  return new Response("x"\n}\n', filename: '/app/bad/route.ts', ts: true, async: true })
    expect(code).toContain('__JITI_ERROR__')
    const payload = JSON.parse(code.slice(code.indexOf('{'))) as { filename: string; line: number; column: number }
    expect(payload).toMatchObject({ filename: '/app/bad/route.ts', line: 3, column: 1 })
  })

  it('a JavaScript syntax error too', () => {
    const { code } = transformForJiti({ source: 'export const x = 1\nexport const y = (\n', filename: '/app/bad.mjs', async: true })
    expect(JSON.parse(code.slice(code.indexOf('{')))).toMatchObject({ line: 3 })
  })
})

describe('createTransformCache', () => {
  it('stores transformed modules in one file once flushed, and transforms a changed source again', () => {
    const dir = join(root, `cache${counter++}`)
    mkdirSync(join(dir, 'node_modules'), { recursive: true })
    const input = { source: 'export const a: number = 1\n', filename: join(dir, 'a.ts'), ts: true, async: true }
    const first = createTransformCache(dir)
    const code = first.transform(input).code
    first.flush()
    const [file] = [join(dir, 'node_modules/.cache/routeware')].map((d) => join(d, readdirOnly(d)))
    const stored = JSON.parse(readFileSync(file!, 'utf8')) as { entries: Record<string, { c: string }> }
    expect(Object.values(stored.entries).map((e) => e.c)).toEqual([code])
    // A new process (a new cache object) answers from the file; an edit is transformed again.
    writeFileSync(file!, readFileSync(file!, 'utf8').replace('_rw$x', '_rw$x /* from the cache */'))
    expect(createTransformCache(dir).transform(input).code).toContain('from the cache')
    expect(createTransformCache(dir).transform({ ...input, source: 'export const a: number = 2\n' }).code).toContain('= 2')
  })
})

function readdirOnly(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  expect(files).toHaveLength(1)
  return files[0]!
}
