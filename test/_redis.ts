/**
 * A real Redis for the Redis store tests: the one `REDIS_URL` names, or else a redis-server from
 * `PATH` (the Debian package) started on a free loopback port and stopped by the test. When
 * neither can be had the tests are skipped with one line saying how to run them, unless
 * `ROUTEWARE_REQUIRE_REDIS=1` (set by `.ci/run`) makes that a failure, so CI never skips them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Redis } from 'ioredis'

export interface RedisServer {
  url: string
  stop(): Promise<void>
}

/** How to get the Redis tests to run, for the skip line and the CI failure. */
export const HOW_TO_RUN_REDIS = 'apt-get install redis-server (or set REDIS_URL=redis://127.0.0.1:6379 to use a running one)'

/** Where the Redis comes from: `REDIS_URL`, a redis-server on `PATH`, or none. */
export type RedisSource = { kind: 'url'; url: string } | { kind: 'binary'; path: string } | { kind: 'none' }

/** Decide, without starting anything, where the tests' Redis comes from. */
export function findRedis(env: NodeJS.ProcessEnv = process.env): RedisSource {
  if (env.REDIS_URL) return { kind: 'url', url: env.REDIS_URL }
  const names = process.platform === 'win32' ? ['redis-server.exe', 'redis-server'] : ['redis-server']
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const path = join(dir || '.', name)
      try {
        accessSync(path, constants.X_OK)
        return { kind: 'binary', path }
      } catch {
        // not in this PATH entry
      }
    }
  }
  return { kind: 'none' }
}

/** True when a missing Redis must fail the run instead of skipping (`.ci/run` sets it). */
export const redisRequired = (env: NodeJS.ProcessEnv = process.env) => env.ROUTEWARE_REQUIRE_REDIS === '1' || env.ROUTEWARE_REQUIRE_REDIS === 'true'

/** Start (or reach) the Redis `source` names; rejects with a message saying what to do. */
export async function startRedis(source: RedisSource): Promise<RedisServer> {
  if (source.kind === 'none') throw new Error(`No Redis for the Redis store tests (ROUTEWARE_REQUIRE_REDIS is set): redis-server is not on PATH and REDIS_URL is unset. ${HOW_TO_RUN_REDIS}`)
  if (source.kind === 'url') {
    await ping(source.url)
    return { url: source.url, stop: async () => {} }
  }
  return spawnRedis(source.path)
}

/** Fail early, and clearly, when REDIS_URL names a Redis that does not answer. */
async function ping(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 3000, retryStrategy: () => null })
  let socketError: Error | undefined
  client.on('error', (error: Error) => {
    socketError ??= error
  })
  try {
    await client.connect()
    await client.ping()
  } catch (error) {
    // "Connection is closed" alone hides the cause (ECONNREFUSED, ENOTFOUND) the socket reported.
    const cause = socketError ?? (error as Error)
    throw new Error(`REDIS_URL=${url} does not answer PING: ${cause.message}`, { cause })
  } finally {
    client.disconnect()
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/**
 * A redis-server from PATH that a test may kill and start again on the same port (a Redis
 * restart: no persistence, so it comes back empty). Undefined when Redis comes from REDIS_URL.
 */
export async function startRestartableRedis(source: RedisSource): Promise<(RedisServer & { kill(): Promise<void>; restart(): Promise<void> }) | undefined> {
  if (source.kind !== 'binary') return undefined
  const port = await freePort()
  let current = await spawnRedis(source.path, port)
  return {
    url: current.url,
    stop: () => current.stop(),
    kill: () => current.stop(),
    async restart() {
      current = await spawnRedis(source.path, port)
    },
  }
}

async function spawnRedis(binary: string, fixedPort?: number): Promise<RedisServer> {
  const port = fixedPort ?? (await freePort())
  const dir = mkdtempSync(join(tmpdir(), 'routeware-redis-'))
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${binary} did not start within 10 s: ${output}`))
    }, 10000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${binary} could not be started: ${error.message}. ${HOW_TO_RUN_REDIS}`))
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true })
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}
