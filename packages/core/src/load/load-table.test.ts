import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createProductionLoader } from './import-route.js'
import { loadTable, type LoadOptions } from './load-table.js'
import { readRouteTree } from './read-tree.js'
import { isUnlisted, routeState, servesFromCache } from './route-state.js'

const fixture = (name: string) => fileURLToPath(new URL(`../../test-fixtures/cli/${name}/app`, import.meta.url))

/** Load options with a logger that keeps what it was told. */
function options(dir: string, dev = false): LoadOptions & { logs: string[] } {
  const logs: string[] = []
  const log = (...args: unknown[]) => void logs.push(args.map(String).join(' '))
  return { dir, dev, logger: { error: log, warn: log, info: log }, logs }
}

const load = (o: LoadOptions) => loadTable(o, createProductionLoader(o.dir))

describe('loadTable', () => {
  it('lists the routes in the order matching tries them, as readRouteTree does', async () => {
    const dir = fixture('basic')
    const table = await load(options(dir))
    expect(table.routes.map((r) => r.definition.file)).toEqual((await readRouteTree(dir)).map((d) => d.file))
    expect(table.matcher.match(['users', '42'])?.definition.path).toBe('/users/[id]')
  })

  it('builds an immutable table: routes, policies and exports are frozen', async () => {
    const table = await load(options(fixture('basic')))
    const route = table.routes.find((r) => r.definition.path === '/cart')!
    expect(route.policy).toMatchObject({ cacheable: true, revalidate: false })
    expect(Object.isFrozen(table)).toBe(true)
    expect(Object.isFrozen(table.routes)).toBe(true)
    expect(Object.isFrozen(route) && Object.isFrozen(route.policy) && Object.isFrozen(route.exports) && Object.isFrozen(route.exports.handlers)).toBe(true)
    expect(() => ((route.policy as { cacheable: boolean }).cacheable = false)).toThrow(TypeError)
  })

  it('dev: nothing is cacheable, and a file that fails to load becomes a route carrying its error', async () => {
    const o = options(fixture('broken'), true)
    const table = await loadTable(o, createProductionLoader(o.dir))
    expect(table.routes.map((r) => [r.definition.path, r.loadError?.message.startsWith('Failed to load route file') ?? false])).toEqual([
      ['/broken', true],
      ['/ok', false],
    ])
    expect(table.routes.every((r) => !r.policy.cacheable)).toBe(true)
    expect(o.logs.join('\n')).toContain(`Failed to load route file ${join(o.dir, 'broken/route.ts')}`)
  })

  it('production: one error names every file that fails to load', async () => {
    const dir = fixture('broken-many')
    await expect(load(options(dir))).rejects.toMatchObject({
      code: 'ROUTEWARE_ROUTE_LOAD_FAILED',
      files: ['a/route.ts', 'b/route.js', 'c/route.mjs'].map((f) => join(dir, f)),
    })
  })

  it.each([false, true])('dev %s: one error names every file with an invalid segment config', async (dev) => {
    const dir = fixture('config-many')
    const error = await load(options(dir, dev)).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ROUTEWARE_INVALID_EXPORT', files: ['both/route.ts', 'list/[id]/route.ts', 'region/route.ts', 'slow/route.js'].map((f) => join(dir, f)) })
    expect((error as Error).message.match(/^Invalid segment configuration options detected for /gm)).toHaveLength(4)
  })

  it('a directory that is not there is an option error', async () => {
    await expect(load(options(fixture('nope')))).rejects.toMatchObject({ code: 'ROUTEWARE_INVALID_OPTION' })
  })
})

describe('route state', () => {
  it('lives beside the table: per route object, fresh for a reloaded table', async () => {
    const dir = fixture('basic')
    const [first, second] = [await load(options(dir)), await load(options(dir))]
    const cart = (t: typeof first) => t.routes.find((r) => r.definition.path === '/cart')!
    expect(servesFromCache(cart(first))).toBe(true)
    routeState(cart(first)).dynamic = true
    expect(servesFromCache(cart(first))).toBe(false)
    expect(cart(first).policy.cacheable).toBe(true)
    expect(servesFromCache(cart(second))).toBe(true)
  })

  it('unlisted params answer 404 only once generateStaticParams listed them, and only with dynamicParams = false', async () => {
    const table = await load(options(fixture('basic')))
    const route = table.routes.find((r) => r.definition.path === '/cart')!
    const strict = { ...route, policy: { ...route.policy, dynamicParams: false } }
    expect(isUnlisted(strict, '/cart')).toBe(false)
    routeState(strict).listed = new Set(['/cart'])
    expect(isUnlisted(strict, '/cart')).toBe(false)
    expect(isUnlisted(strict, '/other')).toBe(true)
    routeState(route).listed = new Set()
    expect(isUnlisted(route, '/other')).toBe(false)
  })
})
