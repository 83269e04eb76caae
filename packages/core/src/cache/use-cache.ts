/**
 * `'use cache'` at run time, with `cacheTag()` and `cacheLife()` (next/cache, Next 16): the call
 * the loader compiles a cached function into (load/use-cache.ts). The result is kept in the
 * router's `cache` store under the function's id and its serialized arguments; `cacheLife()`
 * (Next's profiles or `{ stale, revalidate, expire }`, the default profile when not called) sets
 * how long it stays fresh (past `revalidate` the next call recomputes) and how long it is kept;
 * `cacheTag()` tags it, and the cached route response that read it. Arguments and results are the
 * serializable values Next allows: primitives (bigint and undefined too), plain objects, arrays,
 * Date, Map, Set, typed arrays.
 */
import { currentScope, runInScope, type UseCacheFrame } from '../scope/request-scope.js'
import { toCacheKey } from './cache-key.js'
import { collect } from './control.js'
import { CACHE_LIFE_PROFILES, softTags, validateTags, type CacheLifeProfile } from './tags.js'


/**
 * The call a `'use cache'` function's body is compiled into. Not for hand-written code. `kind`
 * `'private'` (`'use cache: private'`): never stored on the server, so it runs on every call, may
 * read `cookies()`/`headers()`, and accepts `cacheTag()`/`cacheLife()`.
 */
export async function __useCache<T>(id: string, args: unknown[], fn: () => Promise<T>, kind?: 'private'): Promise<T> {
  const scope = currentScope()
  if (kind === 'private') return scope ? runInScope({ ...scope, useCache: { tags: new Set(), life: undefined } }, fn) : fn()
  // Outside a request, or in a draft request: it simply runs.
  if (!scope?.cache || scope.draft.enabled === true) return fn()
  const name = id.slice(0, id.lastIndexOf(':'))
  const key = `${id}:${serialize(args, `the arguments of the "use cache" function ${name}`)}`
  const path = scope.run?.path
  const outer = scope.useCache
  const result = await scope.cache.cachedFunction({
    key,
    softTags: path === undefined ? [] : softTags(toCacheKey(scope.request.nextUrl.basePath, path)),
    regenerating: scope.run?.collected?.regenerating ?? false,
    compute: async () => {
      const frame: UseCacheFrame = { tags: new Set(), life: undefined }
      const value = await runInScope({ ...scope, inCache: '"use cache"', useCache: frame }, fn)
      const life = frame.life ?? CACHE_LIFE_PROFILES.default!
      return { body: Buffer.from(serialize(value, `the result of the "use cache" function ${name}`)), tags: [...frame.tags], revalidate: life.revalidate, expire: life.expire }
    },
  })
  if (outer) {
    // The enclosing cached function's entry carries these tags, and lives no longer than this one.
    for (const tag of result.tags) outer.tags.add(tag)
    const life = outer.life ?? CACHE_LIFE_PROFILES.default!
    outer.life = { stale: life.stale, revalidate: Math.min(life.revalidate, result.revalidate), expire: Math.min(life.expire, result.expire) }
  } else collect(scope.run?.collected, result.tags, result.revalidate, result.expire)
  return deserialize(Buffer.from(result.body.buffer, result.body.byteOffset, result.body.byteLength).toString('utf8')) as T
}

function frameFor(api: string): UseCacheFrame {
  const frame = currentScope()?.useCache
  if (!frame) throw new Error(`${api}() can only be called inside a "use cache" function.`)
  return frame
}

/** Tag the result of the `'use cache'` function being run (at most 128 tags a call, 256 characters each). */
export function cacheTag(...tags: string[]): void {
  const frame = frameFor('cacheTag')
  const scope = currentScope()
  for (const tag of validateTags(tags, 'cacheTag()', (message) => (scope?.run?.logger ?? console).warn(message))) frame.tags.add(tag)
}

/** How long the result of the `'use cache'` function being run stays fresh and is kept: a profile name or `{ stale, revalidate, expire }` (seconds). */
export function cacheLife(profile: string | CacheLifeProfile): void {
  const frame = frameFor('cacheLife')
  let life: { stale: number; revalidate: number; expire: number }
  if (typeof profile === 'string') {
    const preset = Object.hasOwn(CACHE_LIFE_PROFILES, profile) ? CACHE_LIFE_PROFILES[profile] : undefined
    if (!preset) throw new Error(`Unknown cacheLife profile "${profile}". Use one of ${Object.keys(CACHE_LIFE_PROFILES).map((p) => `"${p}"`).join(', ')}, or an object { stale, revalidate, expire } (seconds).`)
    life = { ...preset }
  } else if (typeof profile === 'object' && profile !== null) {
    const fallback = CACHE_LIFE_PROFILES.default!
    for (const field of ['stale', 'revalidate', 'expire'] as const) {
      const value = profile[field]
      if (value !== undefined && (typeof value !== 'number' || !(value >= 0))) throw new Error(`cacheLife(): \`${field}\` must be a number of seconds (0 or more); got ${String(value)}.`)
    }
    life = { stale: profile.stale ?? fallback.stale, revalidate: profile.revalidate ?? fallback.revalidate, expire: profile.expire ?? Math.max(fallback.expire, profile.revalidate ?? 0) }
    if (life.revalidate > life.expire) throw new Error('cacheLife(): `revalidate` must not be longer than `expire`.')
  } else {
    throw new Error(`cacheLife() takes a profile name or an object { stale, revalidate, expire }; got ${String(profile)}.`)
  }
  // Called more than once, the shortest of each wins.
  const current = frame.life
  frame.life = current ? { stale: Math.min(current.stale, life.stale), revalidate: Math.min(current.revalidate, life.revalidate), expire: Math.min(current.expire, life.expire) } : life
}

/** A value Next lets cross a cache boundary, as JSON that keeps its types (Date, Map, Set, bigint, undefined, typed arrays). */
function serialize(value: unknown, what: string): string {
  return JSON.stringify(encode(value, what, new Set()))
}

function encode(value: unknown, what: string, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : { $: 'n', v: String(value) }
    case 'undefined':
      return { $: 'u' }
    case 'bigint':
      return { $: 'b', v: value.toString() }
    case 'object': {
      if (value === null) return null
      if (seen.has(value)) throw new TypeError(`${what} cannot be cached: it holds a circular reference.`)
      seen.add(value)
      try {
        if (Array.isArray(value)) return value.map((item) => encode(item, what, seen))
        if (value instanceof Date) return { $: 'd', v: value.toISOString() }
        if (value instanceof Map) return { $: 'm', v: [...value].map(([k, v]) => [encode(k, what, seen), encode(v, what, seen)]) }
        if (value instanceof Set) return { $: 's', v: [...value].map((v) => encode(v, what, seen)) }
        if (ArrayBuffer.isView(value)) return { $: 't', k: value.constructor.name, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') }
        const proto = Object.getPrototypeOf(value)
        if (proto !== Object.prototype && proto !== null) {
          throw new TypeError(`${what} cannot be cached: a ${proto?.constructor?.name ?? 'class'} instance is not serializable. Only plain objects, arrays, Date, Map, Set, typed arrays and primitives can cross a "use cache" boundary.`)
        }
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value)) out[k] = encode(v, what, seen)
        return { $: 'o', v: out }
      } finally {
        seen.delete(value)
      }
    }
    default:
      throw new TypeError(`${what} cannot be cached: a ${typeof value} is not serializable. Only plain objects, arrays, Date, Map, Set, typed arrays and primitives can cross a "use cache" boundary.`)
  }
}

const TYPED: Record<string, (bytes: Buffer) => ArrayBufferView> = {
  Uint8Array: (b) => new Uint8Array(b),
  Buffer: (b) => Buffer.from(b),
  Int8Array: (b) => new Int8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Uint16Array: (b) => new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Int32Array: (b) => new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Uint32Array: (b) => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Float64Array: (b) => new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
}

function deserialize(text: string): unknown {
  return decode(JSON.parse(text))
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(decode)
  const tagged = value as { $: string; v?: unknown; k?: string }
  switch (tagged.$) {
    case 'u':
      return undefined
    case 'n':
      return Number(tagged.v)
    case 'b':
      return BigInt(tagged.v as string)
    case 'd':
      return new Date(tagged.v as string)
    case 'm':
      return new Map((tagged.v as Array<[unknown, unknown]>).map(([k, v]) => [decode(k), decode(v)]))
    case 's':
      return new Set((tagged.v as unknown[]).map(decode))
    case 't':
      return (TYPED[tagged.k!] ?? TYPED.Uint8Array!)(Buffer.from(tagged.v as string, 'base64'))
    default: {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(tagged.v as Record<string, unknown>)) out[k] = decode(v)
      return out
    }
  }
}
