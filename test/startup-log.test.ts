/**
 * Issue #12: both adapters log the routes they serve once loaded, through the host's logger
 * (Fastify's `app.log`, Express's `logger` option): in dev the `routeware routes` table, otherwise
 * one line with the count; `logRoutes: false` says nothing.
 */
import { execFile } from 'node:child_process'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import express5 from 'express'
import express4 from 'express4'
import Fastify, { type FastifyInstance } from 'fastify'
import routesExpress from '@routeware/express'
import routesFastify from '@routeware/fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { fixture } from './_suite.js'

const dir = fixture('basic')
const shown = `./${relative(process.cwd(), dir)}`
const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** `routeware routes <dir>`, as the built bin prints it. */
function cliTable(): Promise<string> {
  const cli = fileURLToPath(new URL('../packages/core/dist/cli/main.js', import.meta.url))
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'routes', dir], { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)))
  })
}

interface Captured {
  level: string
  msg: string
}

/** Fastify with pino writing into `lines`; resolves once the plugin registered. */
async function fastify(options: Record<string, unknown>, prefix?: string): Promise<Captured[]> {
  const lines: Captured[] = []
  const levels: Record<number, string> = { 30: 'info', 40: 'warn', 50: 'error' }
  const stream = {
    write: (line: string) => {
      const entry = JSON.parse(line) as { level: number; msg: string }
      lines.push({ level: levels[entry.level] ?? String(entry.level), msg: entry.msg })
    },
  }
  const app: FastifyInstance = Fastify({ logger: { level: 'info', stream } })
  closers.push(() => app.close())
  await app.register(routesFastify, { dir, ...options, ...(prefix ? { prefix } : {}) })
  await app.ready()
  return lines
}

/** Express (4 or 5) with a capturing `logger`; resolves once the routes are loaded. */
async function express(host: typeof express5, options: Record<string, unknown>): Promise<Captured[]> {
  const lines: Captured[] = []
  const line = (level: string) => (...args: unknown[]) => lines.push({ level, msg: args.map(String).join(' ') })
  const middleware = routesExpress({ dir, logger: { info: line('info'), warn: line('warn'), error: line('error') }, ...options })
  closers.push(() => middleware.close())
  host().use('/api', middleware)
  await middleware.ready()
  return lines
}

const routeLines = (lines: Captured[]) => lines.filter((l) => l.msg.startsWith('routeware: serving'))

const hosts = [
  { name: 'fastify', start: (options: Record<string, unknown>) => fastify(options, '/api'), under: ' under /api' },
  // The mount path is not known to an Express middleware at start-up: the line names none.
  { name: 'express5', start: (options: Record<string, unknown>) => express(express5, options), under: '' },
  { name: 'express4', start: (options: Record<string, unknown>) => express(express4 as unknown as typeof express5, options), under: '' },
]

for (const host of hosts) {
  describe(`start-up route log [${host.name}]`, () => {
    it('production: one info line with the count, the app directory and the prefix', async () => {
      const table = await cliTable()
      const count = table.trimEnd().split('\n').length - 1
      const lines = routeLines(await host.start({ dev: false }))
      expect(lines).toEqual([{ level: 'info', msg: `routeware: serving ${count} routes from ${shown}${host.under}` }])
    })

    it('dev: the same line, then the `routeware routes` table (route, methods, config, file)', async () => {
      const table = await cliTable()
      const count = table.trimEnd().split('\n').length - 1
      const lines = routeLines(await host.start({ dev: true }))
      expect(lines).toEqual([{ level: 'info', msg: `routeware: serving ${count} routes from ${shown}${host.under}\n${table.trimEnd()}` }])
      expect(lines[0]!.msg).toMatch(/\n\/params\/\[id\] +GET/)
    })

    it('logRoutes: false says nothing, in dev or not', async () => {
      expect(routeLines(await host.start({ dev: false, logRoutes: false }))).toEqual([])
      expect(routeLines(await host.start({ dev: true, logRoutes: false }))).toEqual([])
    })
  })
}

describe('start-up route log [fastify, no prefix]', () => {
  it('names no prefix when the plugin has none', async () => {
    const lines = routeLines(await fastify({ dev: false }))
    expect(lines).toHaveLength(1)
    expect(lines[0]!.msg).toMatch(new RegExp(`^routeware: serving \\d+ routes from ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`))
  })
})
