/**
 * A Redis cache store for apps that run several instances: one instance's cached response is
 * served by the others; a `revalidateTag`/`revalidatePath` on one is seen by all before their
 * next read (the tag times live in Redis, one key per tag, so revalidating a tag costs one write
 * whatever number of entries hold it); one instance regenerates a stale entry (a lock in Redis
 * with an expiry). Every key expires (entries after a year, as Next's `expireTime`; tags once no
 * entry they could reach is left), so memory stays bounded. Built on ioredis (an optional peer
 * dependency). A Redis that is down or slow never fails a request: commands give up after
 * `timeoutMs`, the failure is logged by the router, and the handler answers uncached. Times
 * (entries' `createdAt`, tags' revalidation, "now" when an entry is judged) are Redis's clock
 * (`TIME`), so instances whose own clocks differ still agree on what is stale.
 */
import { randomUUID } from 'node:crypto'
import { invalidOption, routewareError } from '../errors.js'
import type { CacheEntry, CacheStore, TagState } from './store.js'
import { YEAR } from './tags.js'

/** The part of an ioredis client the store uses. */
export interface RedisLike {
  getBuffer(key: string): Promise<Buffer | null>
  evalBuffer(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>
  set(key: string, value: Buffer | string, ...args: Array<string | number>): Promise<unknown>
  mget(...keys: string[]): Promise<Array<string | null>>
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>
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
    const events = client as unknown as { on(event: string, fn: () => void): void; once(event: string, fn: () => void): void }
    events.on('error', () => {})
    owned = true
    // Without an offline queue a command sent before the connection is up fails: wait for it (or
    // for the first error: a Redis that is down must not hold the app's start-up either).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      events.once('ready', done)
      events.once('error', done)
    })
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
  /** Redis's clock minus this process's, in ms: measured at start, on every revalidation and once a minute. */
  let offset = 0
  const readClock = async (): Promise<number> => {
    const sent = Date.now()
    const [seconds, micros] = (await timed(client.eval(TIME, 0), 'TIME')) as [number | string, number | string]
    const received = Date.now()
    const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
    // Redis answered halfway through the round trip (on loopback, well under a millisecond either way).
    offset = redisNow - Math.round((sent + received) / 2)
    return redisNow
  }
  await readClock().catch(() => {})
  const ticking = setInterval(() => void readClock().catch(() => {}), CLOCK_EVERY_MS)
  ticking.unref()
  /** Tag times read with an entry, by the entry's own `tags` array: the router asks for exactly those next. */
  const prefetched = new WeakMap<readonly string[], Array<TagState | undefined>>()
  return {
    maxEntryBytes: options.maxEntryBytes ?? 4 * 1024 * 1024,
    async get(key) {
      // One round trip: the entry and the times of its tags (read by `getTags` right after).
      const reply = (await timed(client.evalBuffer(GET_WITH_TAGS, 1, prefix + key, `${prefix}#tag:`), `GET ${key}`)) as Array<Buffer | null | Array<Buffer | null>> | null
      if (!reply) return undefined
      const entry = decode(reply[0] as Buffer)
      if (entry?.tags && Array.isArray(reply[1])) prefetched.set(entry.tags, reply[1].map((value) => parseTag(value === null || value.length === 0 ? null : value.toString('latin1'))))
      return entry
    },
    async set(key, entry, ttlSeconds) {
      await timed(client.set(prefix + key, encode(entry), 'EX', Math.max(1, Math.ceil(ttlSeconds))), `SET ${key}`)
    },
    async getTags(tags) {
      if (tags.length === 0) return []
      const known = prefetched.get(tags)
      if (known) {
        prefetched.delete(tags)
        return known
      }
      const values = await timed(client.mget(...tags.map((tag) => `${prefix}#tag:${tag}`)), `MGET ${tags.length} tag(s)`)
      return values.map(parseTag)
    },
    now: () => Date.now() + offset,
    async revalidateTags(tags, expireSeconds) {
      // Redis's time now, exactly: the same clock every instance judges by.
      const now = await readClock()
      const value = `${now},${now + expireSeconds * 1000}`
      // Kept as long as an entry created before it may live, then gone.
      const ttl = YEAR + Math.ceil(expireSeconds) + 60
      await timed(Promise.all(tags.map((tag) => client.set(`${prefix}#tag:${tag}`, value, 'EX', ttl))), `SET ${tags.length} tag(s)`)
    },
    async lock(key, ttlMs) {
      const name = `${prefix}#lock:${key}`
      const token = randomUUID()
      const taken = await timed(client.set(name, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'), `SET NX ${name}`)
      if (taken !== 'OK') return undefined
      // Deleted only while it is still this holder's: an expired lock may be someone else's by now.
      return async () => {
        await timed(client.eval(RELEASE, 1, name, token), `release ${name}`)
      }
    },
    async close() {
      clearInterval(ticking)
      if (owned) await client.quit().catch(() => {})
    },
  }
}

/**
 * GET an entry and MGET its tags' times in one round trip: the tags are in the JSON head line of
 * the stored value (`encode`). Keys of the tags are built from ARGV[1], the tag prefix.
 */
const GET_WITH_TAGS = `local value = redis.call('GET', KEYS[1])
if not value then return nil end
local newline = string.find(value, '\\n', 1, true)
if not newline then return {value} end
local ok, head = pcall(cjson.decode, string.sub(value, 1, newline - 1))
if not ok or type(head) ~= 'table' or type(head.tags) ~= 'table' or #head.tags == 0 then return {value} end
local keys = {}
for i, tag in ipairs(head.tags) do keys[i] = ARGV[1] .. tag end
local times = redis.call('MGET', unpack(keys))
for i = 1, #times do if times[i] == false then times[i] = '' end end
return {value, times}`

/** Redis's clock: `[seconds, microseconds]` (an eval, so any client with `eval` has it, and no key: fine on a cluster). */
const TIME = "return redis.call('TIME')"
/** How often the clock's offset is measured again, in ms. */
const CLOCK_EVERY_MS = 60_000

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

function parseTag(value: string | null): TagState | undefined {
  if (value === null) return undefined
  const comma = value.indexOf(',')
  return { stale: Number(value.slice(0, comma)), expired: Number(value.slice(comma + 1)) }
}

/** One buffer: a JSON header line, a newline, the body bytes (no base64 inflation). */
function encode(entry: CacheEntry): Buffer {
  const head = Buffer.from(JSON.stringify({ status: entry.status, headers: entry.headers, createdAt: entry.createdAt, revalidate: entry.revalidate, tags: entry.tags }) + '\n')
  return Buffer.concat([head, entry.body])
}

function decode(raw: Buffer): CacheEntry | undefined {
  const newline = raw.indexOf(10)
  if (newline === -1) return undefined
  const head = JSON.parse(raw.subarray(0, newline).toString('utf8')) as Omit<CacheEntry, 'body'>
  return { ...head, body: raw.subarray(newline + 1) }
}
