/** issue #12: where the Redis store tests get their Redis, and what happens when there is none. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findRedis, redisRequired, startRedis } from './_redis.js'

const empty = mkdtempSync(join(tmpdir(), 'routeware-path-empty-'))
const withBinary = mkdtempSync(join(tmpdir(), 'routeware-path-redis-'))
const binary = join(withBinary, process.platform === 'win32' ? 'redis-server.exe' : 'redis-server')
writeFileSync(binary, '#!/bin/sh\n')
chmodSync(binary, 0o755)
afterAll(() => {
  rmSync(empty, { recursive: true, force: true })
  rmSync(withBinary, { recursive: true, force: true })
})

describe('issue #12: the Redis tests run on a fresh machine', () => {
  it('REDIS_URL wins over a redis-server on PATH', () => {
    expect(findRedis({ PATH: withBinary, REDIS_URL: 'redis://127.0.0.1:6380' })).toEqual({ kind: 'url', url: 'redis://127.0.0.1:6380' })
  })

  it('else a redis-server found on PATH', () => {
    expect(findRedis({ PATH: [empty, withBinary].join(process.platform === 'win32' ? ';' : ':') })).toEqual({ kind: 'binary', path: binary })
  })

  it('else none: skipped, unless ROUTEWARE_REQUIRE_REDIS makes it a failure that says what to install', async () => {
    expect(findRedis({ PATH: empty })).toEqual({ kind: 'none' })
    expect(redisRequired({})).toBe(false)
    expect(redisRequired({ ROUTEWARE_REQUIRE_REDIS: '1' })).toBe(true)
    await expect(startRedis({ kind: 'none' })).rejects.toThrow(/apt-get install redis-server .*REDIS_URL/)
  })
})
