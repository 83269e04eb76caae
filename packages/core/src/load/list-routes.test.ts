import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { toRouteRows } from '../cli/route-table.js'
import { createProductionLoader } from './import-route.js'
import { listRoutes } from './list-routes.js'
import { loadTable } from './load-table.js'

const fixture = (name: string) => fileURLToPath(new URL(`../../test-fixtures/cli/${name}/app`, import.meta.url))
const silent = { error() {}, warn() {}, info() {} }
const temps: string[] = []
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('listRoutes', () => {
  it("answers the rows `routeware routes --json` prints: the load pipeline's table, in precedence order", async () => {
    const dir = fixture('basic')
    const expected = toRouteRows((await loadTable({ dir, dev: false, logger: silent }, createProductionLoader(dir))).routes)
    const rows = await listRoutes(dir)
    expect(rows).toEqual(expected)
    expect(rows.map((r) => r.path)).toEqual(['/', '/cart', '/docs/[...slug]', '/shop/[[...rest]]', '/users', '/users/me', '/users/[id]'])
    expect(rows.find((r) => r.path === '/users/[id]')).toMatchObject({ methods: ['GET', 'DELETE'], file: 'users/[id]/route.ts' })
  })

  it('loads a directory once: a file: URL, a relative path and the absolute path share one cached table', async () => {
    const dir = fixture('basic')
    const first = await listRoutes(dir)
    expect(await listRoutes(pathToFileURL(dir))).toBe(first)
    expect(await listRoutes(join(dir, '..', 'app'))).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(first.every((row) => Object.isFrozen(row) && Object.isFrozen(row.methods) && Object.isFrozen(row.config))).toBe(true)
  })

  it('a refused tree rejects with the error the server gives, naming the file; once fixed, the next call loads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'routeware-list-'))
    temps.push(dir)
    await cp(fixture('basic'), dir, { recursive: true })
    await writeFile(join(dir, 'users', 'route.ts'), 'export const revalidate = -5\nexport function GET() { return new Response("x") }\n')
    await expect(listRoutes(dir)).rejects.toMatchObject({ code: 'ROUTEWARE_INVALID_EXPORT', files: [join(dir, 'users', 'route.ts')] })
    // The route file module itself is cached by the loader: fix the tree by removing the bad file.
    await rm(join(dir, 'users', 'route.ts'))
    const rows = await listRoutes(dir)
    expect(rows.map((r) => r.path)).not.toContain('/users')
    expect(rows.map((r) => r.path)).toContain('/users/[id]')
  })

  it('refuses a dir that is not a path, as the `dir` option does', () => {
    expect(() => listRoutes('')).toThrow(expect.objectContaining({ code: 'ROUTEWARE_INVALID_OPTION' }))
  })
})
