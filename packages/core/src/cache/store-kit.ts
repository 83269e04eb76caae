/**
 * The test kit for cache stores: what every `CacheStore` must do for Routeware's caching to be
 * right, as one function any store author runs in their own test runner (it only throws).
 *
 *   import { checkCacheStore } from '@routeware/core/cache-store-kit'
 *   it('is a Routeware cache store', () => checkCacheStore(() => createMyStore()), 10_000)
 */
import { AssertionError, deepStrictEqual, ok, strictEqual } from 'node:assert/strict'
import type { CacheEntry, CacheStore, TagState } from './store.js'

/** Options of `checkCacheStore`. */
export interface CheckCacheStoreOptions {
  /** Two stores from `create` share their data (Redis, a database): check one sees the other's writes and tags. */
  shared?: boolean
  /** Skip the checks that wait for a TTL to pass (about 1.2 s). */
  skipSlow?: boolean
  /**
   * The store reports when a tag expires but not when it turned stale (a Next `cacheHandlers`
   * handler through `fromCacheHandler`): the `stale` time of a tag expiring later is not checked.
   */
  expiryOnly?: boolean
}

/** One check of the kit: its name and what it does. */
interface Check {
  name: string
  run(create: () => Promise<CacheStore>): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

function entry(overrides: Partial<CacheEntry> = {}): CacheEntry {
  return { status: 200, headers: [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']], body: new Uint8Array(Buffer.from('{"ok":true}')), createdAt: Date.now(), revalidate: 60, tags: ['_N_T_/layout', '_N_T_/x', 'posts'], ...overrides }
}

function sameEntry(got: CacheEntry | undefined, want: CacheEntry, what: string): void {
  ok(got, `${what}: get() returned nothing after set()`)
  strictEqual(got.status, want.status, `${what}: status`)
  deepStrictEqual(got.headers, want.headers, `${what}: headers (order and repeated names kept)`)
  deepStrictEqual([...got.body], [...want.body], `${what}: body bytes`)
  strictEqual(got.createdAt, want.createdAt, `${what}: createdAt`)
  strictEqual(got.revalidate, want.revalidate, `${what}: revalidate`)
  deepStrictEqual([...(got.tags ?? [])], [...(want.tags ?? [])], `${what}: tags`)
}

/** The state of `tag` in a `getTags` answer: a store may answer `[]` when no tag was ever revalidated. */
const stateAt = (states: ReadonlyArray<TagState | undefined>, i: number) => states[i]

/** The store's clock (tag times are recorded by it), else this process's. */
const clockOf = (store: CacheStore) => (typeof store.now === 'function' ? store.now() : Date.now())

function near(actual: number | undefined, expected: number, slackMs: number, what: string): void {
  ok(typeof actual === 'number' && Math.abs(actual - expected) <= slackMs, `${what}: expected about ${expected}, got ${String(actual)}`)
}

function checks(options: CheckCacheStoreOptions): Check[] {
  const list: Check[] = [
    {
      name: 'maxEntryBytes is a positive number',
      async run(create) {
        const store = await create()
        ok(typeof store.maxEntryBytes === 'number' && store.maxEntryBytes > 0, 'maxEntryBytes')
      },
    },
    {
      name: 'get() of a key never set is undefined',
      async run(create) {
        strictEqual(await (await create()).get(`/never-${unique()}`), undefined)
      },
    },
    {
      name: 'set() then get() gives the entry back: status, headers, bytes, createdAt, revalidate, tags',
      async run(create) {
        const store = await create()
        const key = `/kit/${unique()}`
        const want = entry()
        await store.set(key, want, 60)
        sameEntry(await store.get(key), want, 'round trip')
        const binary = entry({ body: Uint8Array.from({ length: 256 }, (_, i) => i), revalidate: false, tags: [] })
        await store.set(`${key}/bin`, binary, 60)
        sameEntry(await store.get(`${key}/bin`), binary, 'binary body, revalidate false, no tags')
      },
    },
    {
      name: 'keys are kept apart byte for byte (encoded paths, unstable_cache keys)',
      async run(create) {
        const store = await create()
        const id = unique()
        const keys = [`/kit/${id}/caf%C3%A9`, `/kit/${id}/caf%c3%a9`, `/kit/${id}/a%20b`, `unstable_cache:${id}`, `/kit/${id}/*`]
        for (const [i, key] of keys.entries()) await store.set(key, entry({ status: 200 + i }), 60)
        for (const [i, key] of keys.entries()) strictEqual((await store.get(key))?.status, 200 + i, `key ${key}`)
      },
    },
    {
      name: 'set() replaces the entry at a key',
      async run(create) {
        const store = await create()
        const key = `/kit/${unique()}`
        await store.set(key, entry({ status: 200 }), 60)
        const second = entry({ status: 404, createdAt: Date.now() + 1 })
        await store.set(key, second, 60)
        sameEntry(await store.get(key), second, 'replaced')
      },
    },
    {
      name: 'getTags() of tags never revalidated: undefined for each',
      async run(create) {
        const store = await create()
        const tags = [`never-${unique()}`, `never-${unique()}`]
        const states = await store.getTags(tags)
        ok(Array.isArray(states), 'getTags() returns an array')
        for (let i = 0; i < tags.length; i++) strictEqual(stateAt(states, i), undefined, `tag ${tags[i]}`)
      },
    },
    {
      name: 'revalidateTags(tags, 0): each is stale and expired now; other tags untouched',
      async run(create) {
        const store = await create()
        const a = `a-${unique()}`
        const b = `b-${unique()}`
        const c = `c-${unique()}`
        const now = clockOf(store)
        await store.revalidateTags([a, b], 0)
        const states = await store.getTags([a, c, b])
        near(stateAt(states, 0)?.stale, now, 2000, `${a}.stale`)
        near(stateAt(states, 0)?.expired, now, 2000, `${a}.expired`)
        strictEqual(stateAt(states, 1), undefined, `${c} was not revalidated`)
        near(stateAt(states, 2)?.expired, now, 2000, `${b}.expired (answers in the order asked)`)
      },
    },
    {
      name: 'revalidateTags(tags, 60): stale now, expired a minute from now; a later call replaces it',
      async run(create) {
        const store = await create()
        const tag = `t-${unique()}`
        const now = clockOf(store)
        await store.revalidateTags([tag], 60)
        const [state] = await store.getTags([tag])
        if (!options.expiryOnly) near(state?.stale, now, 2000, 'stale')
        near(state?.expired, now + 60000, 2000, 'expired')
        await store.revalidateTags([tag], 0)
        const [again] = await store.getTags([tag])
        near(again?.expired, clockOf(store), 2000, 'expired after the second call')
      },
    },
    {
      name: 'tags with any characters (256 of them, spaces, /, :, *)',
      async run(create) {
        const store = await create()
        const tags = [`${unique()}:${'x'.repeat(230)}`, `_N_T_/a b/*/${unique()}`]
        await store.revalidateTags(tags, 0)
        const states = await store.getTags(tags)
        for (let i = 0; i < tags.length; i++) ok(stateAt(states, i)?.expired !== undefined, `tag ${tags[i]!.slice(0, 40)}`)
      },
    },
  ]
  if (!options.skipSlow) {
    list.push({
      name: 'an entry is gone once its ttlSeconds passed',
      async run(create) {
        const store = await create()
        const key = `/kit/${unique()}`
        await store.set(key, entry(), 1)
        ok(await store.get(key), 'present before the TTL')
        await sleep(1200)
        strictEqual(await store.get(key), undefined, 'gone after the TTL')
      },
    })
  }
  if (options.shared) {
    list.push({
      name: 'two stores over the same data: entries and tag times written by one are read by the other',
      async run(create) {
        const one = await create()
        const two = await create()
        const key = `/kit/${unique()}`
        const want = entry()
        await one.set(key, want, 60)
        sameEntry(await two.get(key), want, 'entry across stores')
        const tag = `shared-${unique()}`
        await two.revalidateTags([tag], 0)
        ok((await one.getTags([tag]))[0]?.expired !== undefined, 'tag time across stores')
      },
    })
  }
  list.push({
    name: 'lock() (when the store has one): one holder at a time, released by its release function or its expiry',
    async run(create) {
      const one = await create()
      if (!one.lock) return
      const other = options.shared ? await create() : one
      const name = `generate:/kit/${unique()}`
      const release = await one.lock(name, 5000)
      ok(typeof release === 'function', 'the first lock() is taken')
      strictEqual(await other.lock!(name, 5000), undefined, 'a second lock() is refused while held')
      await release()
      const again = await other.lock!(name, 150)
      ok(typeof again === 'function', 'taken again after release')
      await sleep(300)
      ok(typeof (await one.lock(name, 5000)) === 'function', 'taken again once the holder’s expiry passed')
    },
  })
  return list
}

/**
 * Run every check against stores made by `create` (called once per check, more with `shared`).
 * Resolves with the names of the checks run; rejects with an `AssertionError` naming the first
 * check that failed and what it expected.
 */
export async function checkCacheStore(create: () => CacheStore | Promise<CacheStore>, options: CheckCacheStoreOptions = {}): Promise<string[]> {
  const done: string[] = []
  for (const check of checks(options)) {
    try {
      await check.run(async () => create())
    } catch (error) {
      const message = `CacheStore check failed: ${check.name}\n  ${error instanceof Error ? error.message : String(error)}`
      throw error instanceof AssertionError ? new AssertionError({ message, actual: error.actual, expected: error.expected, operator: error.operator }) : new Error(message, { cause: error })
    }
    done.push(check.name)
  }
  return done
}
