import { describe, expect, it } from 'vitest'
import { judgeEntry, pathTags, softTags, validateTags } from './tags.js'
import type { CacheEntry } from './store.js'

const entry = (over: Partial<CacheEntry> = {}): CacheEntry => ({ status: 200, headers: [], body: new Uint8Array(), createdAt: 1000, revalidate: false, ...over })

describe('soft tags', () => {
  it("a path carries Next's layout tags above it and its own tag", () => {
    expect(softTags('/blog/hello')).toEqual(['_N_T_/layout', '_N_T_/blog/layout', '_N_T_/blog/hello/layout', '_N_T_/blog/hello'])
    expect(softTags('/')).toEqual(['_N_T_/layout', '_N_T_/'])
    expect(softTags('/blog/hello', '/blog/[slug]')).toContain('_N_T_/blog/[slug]/layout')
  })

  it('revalidatePath tags match them', () => {
    expect(pathTags('/blog/hello', undefined)).toEqual(['_N_T_/blog/hello'])
    expect(pathTags('/blog', 'layout')).toEqual(['_N_T_/blog/layout'])
    expect(pathTags('/', undefined)).toEqual(['_N_T_/', '_N_T_/index'])
    expect(pathTags('/', 'layout')).toEqual(['_N_T_/layout'])
    expect(pathTags('/blog/hello', 'page')).toEqual(['_N_T_/blog/hello'])
  })
})

describe('judgeEntry', () => {
  it('fresh, stale by revalidate time, stale by a tag, expired by a tag', () => {
    expect(judgeEntry(entry(), [], 5000)).toBe('fresh')
    expect(judgeEntry(entry({ revalidate: 1 }), [], 2500)).toBe('stale')
    expect(judgeEntry(entry(), [{ stale: 1500, expired: 1500 + 3600_000 }], 2000)).toBe('stale')
    expect(judgeEntry(entry(), [undefined, { stale: 1500, expired: 1500 }], 2000)).toBe('expired')
    // A revalidation before the entry was created does not touch it.
    expect(judgeEntry(entry(), [{ stale: 900, expired: 900 }], 2000)).toBe('fresh')
    // Expiry in the future: stale until then, expired after.
    expect(judgeEntry(entry(), [{ stale: 1500, expired: 3000 }], 2999)).toBe('stale')
    expect(judgeEntry(entry(), [{ stale: 1500, expired: 3000 }], 3000)).toBe('expired')
  })

  it('an expiry at the revalidation itself (expire: 0) is seen by a reader whose clock runs behind the revalidating instance', () => {
    // Instance A revalidated at 2000 by its (Redis-derived) clock; B estimates now as 1990.
    expect(judgeEntry(entry(), [{ stale: 2000, expired: 2000 }], 1990)).toBe('expired')
    // A later expiry still waits for its time on the reader's clock.
    expect(judgeEntry(entry(), [{ stale: 2000, expired: 2001 }], 1990)).toBe('stale')
  })
})

describe('validateTags', () => {
  it('keeps 128 strings of at most 256 characters, warning about the rest', () => {
    const warnings: string[] = []
    const tags = validateTags(['a', 7, 'x'.repeat(257), ...Array.from({ length: 200 }, (_, i) => `t${i}`)], 'cacheTag()', (m) => warnings.push(m))
    expect(tags).toHaveLength(128)
    expect(tags[0]).toBe('a')
    expect(warnings.join('\n')).toMatch(/exceeded max tag count for cacheTag\(\)/)
    expect(warnings.join('\n')).toMatch(/invalid type, must be a string/)
    expect(warnings.join('\n')).toMatch(/exceeded max length of 256/)
  })
})
