/**
 * Cheap check that every contender answers every scenario with the same bytes (status,
 * content-type family, body), each in its own child process as in the benchmark. Next.js is
 * included: its app is built once into bench/.gen/next-app (about 15 s) and reused.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChild } from './servers/_child.mjs'
import { contenders, routeCountContenders } from './servers/_contenders.mjs'
import { ensureNextBuild } from './servers/_next-app.mjs'
import { otelModes, otelNodeArgs } from './servers/_otel.mjs'
import { differs, fetchRaw, loadScenarios } from './servers/_scenarios.mjs'
import { generateTree } from './servers/_tree.mjs'

interface Child {
  port: number
  stop(): Promise<void>
}

beforeAll(() => {
  ensureNextBuild()
}, 300_000)

describe.each(contenders)('%s', (name) => {
  let child: Child

  beforeAll(async () => {
    child = await startChild(name)
  })
  afterAll(() => child?.stop())

  it.each(Object.values(loadScenarios))('$name: $title', async (scenario) => {
    expect(differs(await fetchRaw(child.port, scenario), scenario.expected)).toBeUndefined()
  })
})

describe.each(routeCountContenders)('%s serving a generated tree of 10 routes', (name) => {
  let child: Child

  beforeAll(async () => {
    child = await startChild(name, { routes: 10 })
  })
  afterAll(() => child?.stop())

  it('answers GET /users/123 and a filler route', async () => {
    expect(differs(await fetchRaw(child.port, loadScenarios.get), loadScenarios.get.expected)).toBeUndefined()
    const filler = await fetchRaw(child.port, { method: 'GET', path: '/s3/r3/7' })
    expect([filler.status, filler.type, filler.body.toString()]).toEqual([200, 'application/json', '{"id":"7"}'])
  })
})

describe('cold-start child', () => {
  const run = promisify(execFile)
  const script = fileURLToPath(new URL('./servers/_cold.mjs', import.meta.url))
  const dir = generateTree(5, { ext: 'ts', name: 'test-cold-ts-5' })

  it('times createHandler over a tree of route.ts files', async () => {
    const { stdout } = await run(process.execPath, [script, 'handler', dir])
    const result = JSON.parse(stdout)
    expect(result.createHandlerMs).toBeGreaterThan(0)
    expect(result.processReadyMs).toBeGreaterThan(result.createHandlerMs)
  })

  it('times the scan alone and finds every route file', async () => {
    const { stdout } = await run(process.execPath, [script, 'scan', dir])
    expect(JSON.parse(stdout)).toMatchObject({ files: 5 })
  })
})

describe.each(otelModes)('BENCH_OTEL=%s', (mode) => {
  let child: Child

  beforeAll(async () => {
    child = await startChild('routeware-handler', { nodeArgs: otelNodeArgs(mode) })
  })
  afterAll(() => child?.stop())

  it('routeware-handler answers GET /users/123 the same', async () => {
    expect(differs(await fetchRaw(child.port, loadScenarios.get), loadScenarios.get.expected)).toBeUndefined()
  })
})

describe('BENCH_OTEL=absent', () => {
  it('makes @opentelemetry/api unresolvable for import()', async () => {
    const run = promisify(execFile)
    const probe = "import('@opentelemetry/api').then(() => console.log('found'), (e) => console.log(e.code))"
    const { stdout } = await run(process.execPath, [...otelNodeArgs('absent'), '--input-type=module', '-e', probe])
    expect(stdout.trim()).toBe('ERR_MODULE_NOT_FOUND')
  })
})
