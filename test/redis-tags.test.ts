/**
 * Tags across instances (issue #15): two app processes (Express and Fastify) on one real
 * redis-server. A revalidation on one is seen by the other before its next read; one
 * regeneration across both under concurrent requests; Redis killed and restarted mid-test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { fixture } from './_suite.js'
import { findRedis, HOW_TO_RUN_REDIS, redisRequired, startRedis, startRestartableRedis, type RedisServer } from './_redis.js'

const source = findRedis()
const skip = source.kind === 'none' && !redisRequired()
if (skip) process.stderr.write(`redis-tags.test.ts: skipped, no redis-server on PATH and no REDIS_URL: ${HOW_TO_RUN_REDIS}\n`)

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
const script = fileURLToPath(new URL('./_tags-app.mjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'routeware-tags-'))
const countFile = join(dir, 'runs.txt')
writeFileSync(countFile, '')
/** Handler runs so far, across both processes. */
const runs = () => readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length

interface App {
  origin: string
  output: () => string
  child: ChildProcess
}

async function startApp(kind: 'express' | 'fastify', redisUrl: string, namespace: string, clockSkewMs = 0): Promise<App> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, APP_KIND: kind, REDIS_URL: redisUrl, APP_NS: namespace, APP_DIR: fixture('tags-shared'), TAGS_COUNT_FILE: countFile, CLOCK_SKEW_MS: String(clockSkewMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} app did not start within 20 s: ${output}`)), 20000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /LISTENING (\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.once('exit', (code) => reject(new Error(`${kind} app exited with ${code}: ${output}`)))
  })
  return { origin: `http://127.0.0.1:${port}`, output: () => output, child }
}

async function get(app: App, path = '/shared') {
  const res = await fetch(app.origin + path)
  return { status: res.status, cache: res.headers.get('x-routeware-cache'), body: (await res.json()) as { pid: number; token: string; data: { computedBy: number; at: number } } }
}

async function hook(app: App, body: object) {
  const res = await fetch(`${app.origin}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
}

describe.skipIf(skip)('tags across two app processes on one Redis', () => {
  let redis: RedisServer
  let a: App
  let b: App
  const namespace = `tags-${randomUUID()}`
  beforeAll(async () => {
    redis = await startRedis(source)
    ;[a, b] = await Promise.all([startApp('express', redis.url, namespace), startApp('fastify', redis.url, namespace)])
  }, 40000)
  afterAll(async () => {
    a?.child.kill()
    b?.child.kill()
    await redis?.stop()
  })

  it('a response cached by one process is a HIT on the other; revalidateTag on one is seen by the other before its next read', async () => {
    const first = await get(a)
    // Rendered at start-up by whichever process took the store's lock first.
    expect(first.cache).toBe('HIT')
    const fromB = await get(b)
    expect(fromB.cache).toBe('HIT')
    expect(fromB.body).toEqual(first.body)
    await hook(b, { tag: 'shared-data', profile: { expire: 0 } })
    const after = await get(a)
    expect(after.cache).toBe('MISS')
    expect(after.body.token).not.toBe(first.body.token)
    // The data was recomputed too: its tag was revalidated.
    expect(after.body.data.at).toBeGreaterThan(first.body.data.at)
    expect((await get(b)).body).toEqual(after.body)
  })

  it('revalidatePath on one process is seen by the other', async () => {
    const first = await get(a)
    await hook(a, { path: '/shared' })
    const after = await get(b)
    expect(after.cache).toBe('MISS')
    expect(after.body.token).not.toBe(first.body.token)
  })

  it("revalidateTag(tag, 'max'): concurrent requests on both processes get the stale entry, and exactly one regeneration runs across both", async () => {
    const first = await get(a)
    await hook(b, { tag: 'shared-data', profile: 'max' })
    const before = runs()
    const all = await Promise.all(Array.from({ length: 16 }, (_, i) => get(i % 2 ? a : b)))
    for (const res of all) {
      expect(res.cache).toBe('STALE')
      expect(res.body).toEqual(first.body)
    }
    let next = await get(a)
    for (let i = 0; i < 100 && next.cache !== 'HIT'; i++) {
      await wait(20)
      next = await get(a)
    }
    expect(next.cache).toBe('HIT')
    expect(next.body.token).not.toBe(first.body.token)
    expect(runs() - before).toBe(1)
    expect((await get(b)).body).toEqual(next.body)
  })

  it('memory stays bounded: every key the two processes wrote (entries, tag times, locks) expires in Redis', async () => {
    await get(a)
    await hook(a, { tag: 'shared-data', profile: 'max' })
    await get(b)
    // Let the regeneration that STALE read started finish (its lock and new entry written).
    for (let i = 0; i < 100 && (await get(a)).cache !== 'HIT'; i++) await wait(20)
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 })
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `routeware:${namespace}:*`, 'COUNT', 500)
      cursor = next
      keys.push(...found)
    } while (cursor !== '0')
    expect(keys.some((key) => key.includes('#tag:shared-data'))).toBe(true)
    expect(keys.some((key) => key.endsWith(':/shared'))).toBe(true)
    for (const key of keys) expect(await client.pttl(key), key).toBeGreaterThan(0)
    await client.quit()
  })

  it('expired entry, concurrent requests on both processes: one generation across both, every request answered with its body', async () => {
    await get(a)
    await hook(a, { tag: 'shared-data', profile: { expire: 0 } })
    const before = runs()
    const all = await Promise.all(Array.from({ length: 16 }, (_, i) => get(i % 2 ? a : b)))
    expect(runs() - before).toBe(1)
    const tokens = new Set(all.map((res) => res.body.token))
    expect(tokens.size).toBe(1)
    for (const res of all) expect(res.cache).toBe('MISS')
  })
})

describe.skipIf(skip)("two app processes whose clocks are a minute apart: Redis's clock decides", () => {
  let redis: RedisServer
  let ahead: App
  let behind: App
  beforeAll(async () => {
    redis = await startRedis(source)
    const namespace = `clocks-${randomUUID()}`
    ;[ahead, behind] = await Promise.all([startApp('express', redis.url, namespace, 30_000), startApp('fastify', redis.url, namespace, -30_000)])
  }, 40000)
  afterAll(async () => {
    ahead?.child.kill()
    behind?.child.kill()
    await redis?.stop()
  })

  it('an entry stored by the instance ahead, revalidated by the one behind: the next read on either is a MISS with a new body', async () => {
    await hook(behind, { tag: 'shared-data', profile: { expire: 0 } })
    const first = await get(ahead)
    expect(first.cache).toBe('MISS')
    expect((await get(behind)).cache).toBe('HIT')
    await hook(behind, { tag: 'shared-data', profile: { expire: 0 } })
    const next = await get(ahead)
    expect(next.cache).toBe('MISS')
    expect(next.body.token).not.toBe(first.body.token)
    expect((await get(behind)).body).toEqual(next.body)
  })

  it('an entry stored by the instance behind, revalidated by the one ahead: expired at once (a MISS, not STALE)', async () => {
    await hook(ahead, { tag: 'shared-data', profile: { expire: 0 } })
    const first = await get(behind)
    expect(first.cache).toBe('MISS')
    expect((await get(ahead)).cache).toBe('HIT')
    await hook(ahead, { tag: 'shared-data', profile: { expire: 0 } })
    const next = await get(behind)
    expect(next.cache).toBe('MISS')
    expect(next.body.token).not.toBe(first.body.token)
  })

  it("revalidateTag(tag, 'max') by the instance behind: the one ahead serves STALE once, then the new body", async () => {
    const first = await get(ahead)
    await hook(behind, { tag: 'shared-data', profile: 'max' })
    const stale = await get(ahead)
    expect(stale.cache).toBe('STALE')
    expect(stale.body).toEqual(first.body)
    let next = await get(ahead)
    for (let i = 0; i < 100 && next.cache !== 'HIT'; i++) {
      await wait(20)
      next = await get(ahead)
    }
    expect(next.body.token).not.toBe(first.body.token)
  })
})

describe.skipIf(skip || source.kind !== 'binary')('Redis killed and restarted under two app processes', () => {
  let redis: Awaited<ReturnType<typeof startRestartableRedis>>
  let a: App
  let b: App
  beforeAll(async () => {
    redis = await startRestartableRedis(source)
    const namespace = `restart-${randomUUID()}`
    ;[a, b] = await Promise.all([startApp('fastify', redis!.url, namespace), startApp('express', redis!.url, namespace)])
  }, 40000)
  afterAll(async () => {
    a?.child.kill()
    b?.child.kill()
    await redis?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('Redis down: every request answers 200 uncached and the failure is logged; back up (empty): MISS, then HIT across processes, never stale data', async () => {
    const first = await get(a)
    expect((await get(b)).body).toEqual(first.body)
    await redis!.kill()
    for (const app of [a, b, a, b]) {
      const res = await get(app)
      expect(res.status).toBe(200)
      expect(res.cache).toBeNull()
      expect(res.body.token).not.toBe(first.body.token)
    }
    // A revalidation while Redis is down is logged, never a 500.
    await hook(a, { tag: 'shared-data', profile: 'max' })
    // The child's log lines travel through a pipe, which may deliver them after the HTTP answer.
    const logged = async (app: App, pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(app.output()); i++) await wait(20)
      expect(app.output()).toMatch(pattern)
    }
    await logged(a, /cache store failed/)
    await logged(a, /could not reach the cache store/)
    await logged(b, /cache store failed/)
    await redis!.restart()
    // ioredis reconnects on its own: wait until both answer from the cache again.
    let back = await get(a)
    for (let i = 0; i < 150 && back.cache === null; i++) {
      await wait(50)
      back = await get(a)
    }
    expect(['MISS', 'HIT']).toContain(back.cache)
    expect(back.body.token).not.toBe(first.body.token)
    let fromB = await get(b)
    for (let i = 0; i < 150 && fromB.cache === null; i++) {
      await wait(50)
      fromB = await get(b)
    }
    expect(fromB.cache).toBe('HIT')
    expect(fromB.body).toEqual((await get(a)).body)
  }, 30000)
})
