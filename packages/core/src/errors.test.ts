import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bodyAborted, bodyConsumed, bodyTooLarge, ERROR_CODES, invalidOption, isRoutewareError, routewareError } from './errors.js'

const packages = fileURLToPath(new URL('../..', import.meta.url))

/** Every non-test TypeScript source of core and the adapters, with its text. */
function sources(): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const pkg of ['core', 'express', 'fastify']) {
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name)) out.push([path, readFileSync(path, 'utf8')])
      }
    }
    walk(join(packages, pkg, 'src'))
  }
  return out
}

/** The helpers in errors.ts that raise a code for their callers. */
const RAISED_THROUGH: Record<string, string> = {
  ROUTEWARE_BODY_TOO_LARGE: 'bodyTooLarge(',
  ROUTEWARE_BODY_ABORTED: 'bodyAborted(',
  ROUTEWARE_BODY_ALREADY_PARSED: 'bodyConsumed(',
  ROUTEWARE_INVALID_OPTION: 'invalidOption(',
}

describe('errors: one table', () => {
  it('issue #11: every declared code is raised somewhere outside the table', () => {
    const files = sources().filter(([path]) => !path.endsWith(join('core', 'src', 'errors.ts')))
    for (const code of ERROR_CODES) {
      const raisers = files.filter(([, text]) => text.includes(`'${code}'`) || (RAISED_THROUGH[code] !== undefined && text.includes(RAISED_THROUGH[code]!)))
      expect(raisers.map(([path]) => path), code).not.toEqual([])
    }
  })

  it('each code answers its status and a message naming what to fix', () => {
    expect(bodyTooLarge(10)).toMatchObject({ code: 'ROUTEWARE_BODY_TOO_LARGE', status: 413 })
    expect(bodyTooLarge(10).message).toMatch(/bodyLimit of 10 bytes.*Raise the `bodyLimit` option/)
    expect(bodyAborted()).toMatchObject({ code: 'ROUTEWARE_BODY_ABORTED', status: 400 })
    const parsed = bodyConsumed({ parser: 'express.json() (body-parser)', contentType: 'application/json', fix: 'use keepRawBody.' })
    expect(parsed).toMatchObject({ code: 'ROUTEWARE_BODY_ALREADY_PARSED', status: 500 })
    expect(parsed.message).toMatch(/already read by express\.json\(\) \(body-parser\).*use keepRawBody\./)
    // Core's own wording names no adapter's export: the adapter supplies its fix.
    expect(bodyConsumed({ parser: 'a parser', contentType: '' }).message).not.toMatch(/express|keepRawBody/)
    expect(invalidOption('bodyLimit', 'a non-negative whole number of bytes', -1).message).toBe('`bodyLimit` must be a non-negative whole number of bytes; got -1.')
    expect(invalidOption('dev', 'true or false', 'yes').message).toBe('`dev` must be true or false; got "yes".')
    const missing = routewareError('ROUTEWARE_MISSING_DEPENDENCY', { feature: 'createRedisStore', name: 'ioredis' })
    expect(missing.message).toBe('createRedisStore needs the `ioredis` package, which is not installed: npm install ioredis')
    const collision = routewareError('ROUTEWARE_ROUTE_COLLISION', { file: '/app/a/route.ts', path: '/a', url: '/a', reason: 'taken' })
    expect(collision.message).toMatch(/^The route file \/app\/a\/route\.ts \(\/a\) collides .*\n {2}Remove one of them/)
    const instrumentation = routewareError('ROUTEWARE_INSTRUMENTATION_FAILED', { file: '/srv/instrumentation.ts', problem: 'threw in register(): no DSN', fix: 'Fix it.' })
    expect(instrumentation.message).toBe('The instrumentation file /srv/instrumentation.ts threw in register(): no DSN.\n  Fix it.')
    for (const code of ERROR_CODES) expect(isRoutewareError({ code })).toBe(true)
  })
})
