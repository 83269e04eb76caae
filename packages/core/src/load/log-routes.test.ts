import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { serializeRouteTable, toRouteRows } from '../cli/route-table.js'
import { createProductionLoader } from './import-route.js'
import { loadTable } from './load-table.js'
import { logServedRoutes, serializeServedRoutes } from './log-routes.js'

const dir = fileURLToPath(new URL('../../test-fixtures/cli/basic/app', import.meta.url))
const silent = { error() {}, warn() {}, info() {} }
const routes = async () => (await loadTable({ dir, dev: false, logger: silent }, createProductionLoader(dir))).routes

describe('serializeServedRoutes', () => {
  it('production: one line, the count, the directory relative to the working directory, the prefix', async () => {
    const loaded = await routes()
    expect(serializeServedRoutes(loaded, { dir: join(process.cwd(), 'app'), prefix: '/api', dev: false })).toBe('routeware: serving 7 routes from ./app under /api')
    expect(serializeServedRoutes(loaded, { dir: join(process.cwd(), 'app'), dev: false })).toBe('routeware: serving 7 routes from ./app')
    expect(serializeServedRoutes(loaded.slice(0, 1), { dir: process.cwd(), dev: false })).toBe('routeware: serving 1 route from .')
    // Beside the working directory: relative (`npm start` in examples/fastify serves ../app).
    expect(serializeServedRoutes(loaded, { dir: join(process.cwd(), '..', 'app'), dev: false })).toBe('routeware: serving 7 routes from ../app')
    // Far from it (the tests run in packages/core, two folders down at least): the absolute path,
    // shorter than the ../../ walk.
    expect(serializeServedRoutes(loaded, { dir: '/srv/app', dev: false })).toBe('routeware: serving 7 routes from /srv/app')
  })

  it('dev: the line, then the table `routeware routes` prints', async () => {
    const loaded = await routes()
    const text = serializeServedRoutes(loaded, { dir: join(process.cwd(), 'app'), dev: true })
    expect(text).toBe(`routeware: serving 7 routes from ./app\n${serializeRouteTable(toRouteRows(loaded)).trimEnd()}`)
    expect(serializeServedRoutes([], { dir: join(process.cwd(), 'app'), dev: true })).toBe('routeware: serving 0 routes from ./app')
  })
})

describe('logServedRoutes', () => {
  it('logs at info, once; nothing with logRoutes off', async () => {
    const loaded = await routes()
    const seen: string[] = []
    const logger = { info: (m: unknown) => seen.push(`info ${String(m)}`), warn: (m: unknown) => seen.push(`warn ${String(m)}`), error: (m: unknown) => seen.push(`error ${String(m)}`) }
    logServedRoutes(logger, loaded, { dir: join(process.cwd(), 'app'), dev: false, logRoutes: true }, '/v1')
    expect(seen).toEqual(['info routeware: serving 7 routes from ./app under /v1'])
    logServedRoutes(logger, loaded, { dir: join(process.cwd(), 'app'), dev: true, logRoutes: false })
    expect(seen).toHaveLength(1)
  })
})
