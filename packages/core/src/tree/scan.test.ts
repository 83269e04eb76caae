import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scanRoutes } from './scan.js'

describe('scanRoutes', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'routeware-scan-'))
    for (const rel of [
      'route.ts',
      'a/route.mts',
      'b/route.cts',
      'c/route.js',
      'd/route.mjs',
      'e/route.cjs',
      'f/page.ts',
      'g/route.tsx',
      'g/route.d.ts',
      '_private/route.ts',
      '(group)/[id]/route.ts',
      '.well-known/security.txt/route.ts',
      'node_modules/pkg/route.ts',
      'x/node_modules/pkg/route.ts',
    ]) {
      mkdirSync(join(dir, rel, '..'), { recursive: true })
      writeFileSync(join(dir, rel), 'export const GET = () => new Response("x")\n')
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds route files of every supported extension, including under .well-known, but not in node_modules', async () => {
    const found = await scanRoutes(dir)
    expect(found.map((f) => f.relFile)).toEqual([
      '(group)/[id]/route.ts',
      '.well-known/security.txt/route.ts',
      '_private/route.ts', // dropped later, by buildRoutes
      'a/route.mts',
      'b/route.cts',
      'c/route.js',
      'd/route.mjs',
      'e/route.cjs',
      'route.ts',
    ])
    for (const f of found) expect(f.file).toBe(join(dir, f.relFile))
  })
})
