/**
 * A Redis cache store for apps that run several instances: one instance's cached response is
 * served by the others, and `revalidatePath` on one is seen by all. Built on ioredis (an optional
 * peer dependency). A Redis that is down or slow never fails a request: reads and writes give up
 * after `timeoutMs`, the failure is logged by the router, and the handler answers uncached.
 */
import { invalidOption, routewareError } from '../errors.js'
import type { CacheEntry, CacheStore } from './store.js'

/** The part of an ioredis client the store uses. */
export interface RedisLike {
  getBuffer(key: string): Promise<Buffer | null>
  set(key: string, value: Buffer | string, mode: 'EX', seconds: number): Promise<unknown>
  del(...keys: string[]): Promise<number>
  scan(cursor: string | number, ...args: Array<string | number>): Promise<[string, string[]]>
  quit(): Promise<unknown>
}

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** Required: every key lives under it, so two apps (or two mounts) sharing a Redis never collide. */
  namespace: string
  /** An ioredis client, or a `redis://` URL to connect to (default `redis://127.0.0.1:6379`). */
  client?: RedisLike | string
  /** Largest body kept. Default 4 MiB. */
  maxEntryBytes?: number
  /** Give up on a Redis command after this long. Default 250 ms. */
  timeoutMs?: number
}

/** A `CacheStore` over Redis, with a `close()` to quit a connection it opened itself. */
export interface RedisStore extends CacheStore {
  close(): Promise<void>
}

/** Create the store. Connects lazily; `ioredis` must be installed when `client` is a URL. */
export async function createRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  if (typeof options?.namespace !== 'string' || options.namespace === '') {
    throw invalidOption('namespace', 'a non-empty string given to createRedisStore (e.g. the app name): every key lives under it, so apps sharing a Redis never collide', options?.namespace)
  }
  let client: RedisLike
  let owned = false
  if (options.client === undefined || typeof options.client === 'string') {
    const { Redis } = await import('ioredis').catch((error: unknown) => {
      throw routewareError('ROUTEWARE_MISSING_DEPENDENCY', { feature: 'createRedisStore', name: 'ioredis' }, { cause: error })
    })
    // No offline queue and one retry: a Redis that is down fails fast instead of holding requests.
    client = new Redis(options.client ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) as unknown as RedisLike
    ;(client as unknown as { on(event: string, fn: () => void): void }).on('error', () => {})
    owned = true
  } else client = options.client
  const prefix = `routeware:${options.namespace}:`
  const timeoutMs = options.timeoutMs ?? 250
  const timed = <T>(work: Promise<T>, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${timeoutMs} ms`)), timeoutMs)
      work.then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  return {
    maxEntryBytes: options.maxEntryBytes ?? 4 * 1024 * 1024,
    async get(key) {
      const raw = await timed(client.getBuffer(prefix + key), `GET ${key}`)
      return raw ? decode(raw) : undefined
    },
    async set(key, entry, ttlSeconds) {
      await timed(client.set(prefix + key, encode(entry), 'EX', Math.max(1, Math.ceil(ttlSeconds))), `SET ${key}`)
    },
    async delete(key) {
      await timed(client.del(prefix + key), `DEL ${key}`)
    },
    async deletePrefix(path) {
      const base = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`
      await timed(client.del(prefix + path), `DEL ${path}`)
      let cursor = '0'
      do {
        const [next, keys] = await timed(client.scan(cursor, 'MATCH', `${escapeGlob(prefix + base)}*`, 'COUNT', 200), `SCAN ${path}`)
        cursor = next
        if (keys.length > 0) await timed(client.del(...keys), `DEL ${path}/*`)
      } while (cursor !== '0')
    },
    async close() {
      if (owned) await client.quit().catch(() => {})
    },
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

/** One buffer: a JSON header line, a newline, the body bytes (no base64 inflation). */
function encode(entry: CacheEntry): Buffer {
  const head = Buffer.from(JSON.stringify({ status: entry.status, headers: entry.headers, createdAt: entry.createdAt, revalidate: entry.revalidate }) + '\n')
  return Buffer.concat([head, entry.body])
}

function decode(raw: Buffer): CacheEntry | undefined {
  const newline = raw.indexOf(10)
  if (newline === -1) return undefined
  const head = JSON.parse(raw.subarray(0, newline).toString('utf8')) as Omit<CacheEntry, 'body'>
  return { ...head, body: raw.subarray(newline + 1) }
}
