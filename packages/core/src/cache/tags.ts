/**
 * Tags, as Next 16 names and judges them: the soft tags every cached route response carries for
 * its path (packages/next/src/server/lib/implicit-tags.ts), the limits on user tags
 * (packages/next/src/server/lib/patch-fetch.ts `validateTags`), the `cacheLife` profiles
 * (packages/next/src/server/config-shared.ts), and whether an entry is fresh, stale or expired
 * under the tags' revalidation times (packages/next/src/server/lib/cache-handlers/default.ts).
 */
import type { CacheEntry, TagState } from './store.js'

/** Next's prefix of the tags a path carries implicitly (`NEXT_CACHE_IMPLICIT_TAG_ID`). */
export const SOFT_TAG_PREFIX = '_N_T_'
/** Most tags one call may carry (`NEXT_CACHE_TAG_MAX_ITEMS`). */
export const MAX_TAGS = 128
/** Longest tag (`NEXT_CACHE_TAG_MAX_LENGTH`). */
export const MAX_TAG_LENGTH = 256
/** A year in seconds: how long an entry may live, as Next's default `expireTime`. */
export const YEAR = 31536000

/**
 * The soft tags of the response at `key` (a full path, the mount prefix included): every layout
 * above it and the path itself, so `revalidatePath(p)` and `revalidatePath(p, 'layout')` reach
 * it. `routePath` (the route's own pattern, `/blog/[slug]`, under the same prefix) adds its
 * layout tag, for `revalidatePath('/blog/[slug]', 'layout')`.
 */
export function softTags(key: string, routePattern?: string): string[] {
  const tags = [`${SOFT_TAG_PREFIX}/layout`]
  const add = (path: string) => {
    let at = 0
    while ((at = path.indexOf('/', at + 1)) !== -1) pushOnce(tags, `${SOFT_TAG_PREFIX}${path.slice(0, at)}/layout`)
    if (path !== '/') pushOnce(tags, `${SOFT_TAG_PREFIX}${path}/layout`)
  }
  add(key)
  if (routePattern !== undefined && routePattern !== key) add(routePattern)
  pushOnce(tags, `${SOFT_TAG_PREFIX}${key}`)
  return tags
}

function pushOnce(tags: string[], tag: string): void {
  if (!tags.includes(tag)) tags.push(tag)
}

/** The tags `revalidatePath(path, type)` revalidates (`path` already under the mount prefix, no trailing slash). */
export function pathTags(path: string, type: 'page' | 'layout' | undefined): string[] {
  let tag = `${SOFT_TAG_PREFIX}${path}`
  if (type) tag += `${tag.endsWith('/') ? '' : '/'}${type}`
  // `page` is how Next names the path itself; a route handler's entry carries the bare path.
  if (type === 'page') tag = tag.slice(0, -'/page'.length) || `${SOFT_TAG_PREFIX}/`
  const tags = [tag]
  if (tag === `${SOFT_TAG_PREFIX}/`) tags.push(`${SOFT_TAG_PREFIX}/index`)
  else if (tag === `${SOFT_TAG_PREFIX}/index`) tags.push(`${SOFT_TAG_PREFIX}/`)
  return tags
}

/**
 * The usable tags among `tags`, as Next keeps them: strings of at most 256 characters, at most
 * 128 of them; the others are dropped with a warning naming them and `where` they came from.
 */
export function validateTags(tags: unknown, where: string, warn: (message: string) => void): string[] {
  if (!Array.isArray(tags)) {
    if (tags !== undefined) warn(`Warning: invalid tags passed to ${where}: tags must be an array of strings, got ${typeof tags}`)
    return []
  }
  const valid: string[] = []
  const invalid: string[] = []
  for (let i = 0; i < tags.length; i++) {
    const tag: unknown = tags[i]
    if (typeof tag !== 'string') invalid.push(`tag: "${String(tag)}" invalid type, must be a string`)
    else if (tag.length > MAX_TAG_LENGTH) invalid.push(`tag: "${tag}" exceeded max length of ${MAX_TAG_LENGTH}`)
    else valid.push(tag)
    if (valid.length > MAX_TAGS) {
      valid.pop()
      warn(`Warning: exceeded max tag count for ${where}, dropped tags: ${tags.slice(i).map(String).join(', ')}`)
      break
    }
  }
  if (invalid.length > 0) warn(`Warning: invalid tags passed to ${where}:\n${invalid.join('\n')}`)
  return valid
}

/** A `cacheLife` profile: seconds a client may use it unchecked, fresh, and kept at most. */
export interface CacheLifeProfile {
  stale?: number
  revalidate?: number
  expire?: number
}

/** Next's preset profiles (`default` never expires: Routeware caps it at a year, as every entry). */
export const CACHE_LIFE_PROFILES: Readonly<Record<string, Required<CacheLifeProfile>>> = {
  default: { stale: 300, revalidate: 900, expire: YEAR },
  seconds: { stale: 30, revalidate: 1, expire: 60 },
  minutes: { stale: 300, revalidate: 60, expire: 3600 },
  hours: { stale: 300, revalidate: 3600, expire: 86400 },
  days: { stale: 300, revalidate: 86400, expire: 604800 },
  weeks: { stale: 300, revalidate: 604800, expire: 2592000 },
  max: { stale: 300, revalidate: 2592000, expire: YEAR },
}

/** What becomes of an entry read now under its tags. */
export type EntryState = 'fresh' | 'stale' | 'expired'

/**
 * `expired` when a tag expired after the entry was created and that time has come; `stale`
 * when a tag was revalidated after it (or its own `revalidate` passed); `fresh` otherwise.
 */
export function judgeEntry(entry: CacheEntry, states: ReadonlyArray<TagState | undefined>, now: number): EntryState {
  let stale = entry.revalidate !== false && now - entry.createdAt >= entry.revalidate * 1000
  for (let i = 0; i < states.length; i++) {
    const state = states[i]
    if (state === undefined) continue
    // Expired at the revalidation itself (`expire: 0`: `expired === stale`) needs no clock: a reader
    // whose clock runs a little behind the revalidating instance's must still see it expired. Only
    // a later expiry is judged against `now`.
    if (state.expired !== undefined && state.expired > entry.createdAt && (state.expired === state.stale || state.expired <= now)) return 'expired'
    if (state.stale !== undefined && state.stale > entry.createdAt) stale = true
  }
  return stale ? 'stale' : 'fresh'
}
