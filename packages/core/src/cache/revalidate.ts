/**
 * `revalidatePath()`, `revalidateTag()`, `updateTag()` and `refresh()` from `next/cache`
 * (packages/next/src/server/web/spec-extension/revalidate.ts), reaching the cache of the router
 * serving the current request. A path is its soft tag: both go through the store's tag times.
 */
import { currentRun, maybeOutsideScope } from '../lifecycle/current-run.js'
import { currentScope, type RequestScope } from '../scope/request-scope.js'
import { CACHE_LIFE_PROFILES, type CacheLifeProfile } from './tags.js'


function scopeFor(expression: string): RequestScope & { cache: NonNullable<RequestScope['cache']> } {
  // A handler that began before the scope was on joins it here (during its synchronous start).
  const scope = currentScope() ?? (currentRun() === undefined ? undefined : currentScope())
  if (!scope?.cache) {
    if (!scope) maybeOutsideScope()
    throw new Error(`\`${expression}\` was called outside a request scope. Call it inside a route handler (or a function it calls).`)
  }
  if (scope.inCache) {
    throw new Error(
      `Route ${scope.run?.route.definition.path ?? ''} used "${expression}" inside a function cached with "${scope.inCache}" which is unsupported. To ensure revalidation is performed consistently it must always happen outside of renders and cached functions. See more info here: https://nextjs.org/docs/app/building-your-application/rendering/static-and-dynamic#dynamic-rendering`,
    )
  }
  return scope as RequestScope & { cache: NonNullable<RequestScope['cache']> }
}

/** The response waits for `write`, as Next flushes revalidations before it answers; awaiting it also works. */
function pending(scope: RequestScope, write: Promise<void>): Promise<void> {
  ;(scope.pending ??= []).push(write)
  return write
}

/**
 * Revalidate the cached response of `path` (the path below the mount prefix), and the
 * `unstable_cache` data read while it was served; with `'layout'`, of every path below it too.
 * The next request regenerates it (MISS). It reaches the entries of the mount the handler's
 * request came through (under `/t/:tenant`, that tenant's), on every instance sharing the store.
 */
export function revalidatePath(path: string, type?: 'page' | 'layout'): Promise<void> {
  const scope = scopeFor('revalidatePath')
  return pending(scope, scope.cache.revalidatePath(path, type, scope.request.nextUrl.basePath))
}

/**
 * Revalidate every cached response and `unstable_cache` value tagged `tag`, on every instance
 * sharing the store. `'max'` (or another `cacheLife` profile): the next read gets the stale
 * entry while one regeneration runs; `{ expire: 0 }` or no profile (deprecated): the next read
 * regenerates (MISS).
 */
export function revalidateTag(tag: string, profile?: string | CacheLifeProfile): Promise<void> {
  const scope = scopeFor(`revalidateTag ${tag}`)
  let expire = 0
  if (profile === undefined || profile === null || profile === '') {
    ;(scope.run?.logger ?? console).warn('"revalidateTag" without the second argument is now deprecated, add second argument of "max" or use "updateTag". See more info here: https://nextjs.org/docs/messages/revalidate-tag-single-arg')
  } else if (typeof profile === 'string') {
    const preset = CACHE_LIFE_PROFILES[profile]
    if (!Object.hasOwn(CACHE_LIFE_PROFILES, profile) || !preset) {
      throw new Error(`Invalid profile provided "${profile}" must be one of ${Object.keys(CACHE_LIFE_PROFILES).map((name) => `"${name}"`).join(', ')}, or an object like { expire: 0 }.`)
    }
    expire = preset.expire
  } else if (typeof profile === 'object') {
    expire = typeof profile.expire === 'number' ? profile.expire : CACHE_LIFE_PROFILES.max!.expire
  }
  return pending(scope, scope.cache.revalidateTags([tag], expire))
}

/** Next's `updateTag`: Server Actions only, so it always throws in a route handler. */
export function updateTag(_tag: string): never {
  throw new Error(
    'updateTag can only be called from within a Server Action. To invalidate cache tags in Route Handlers or other contexts, use revalidateTag instead. See more info here: https://nextjs.org/docs/app/api-reference/functions/updateTag',
  )
}

/** Next's `refresh`: Server Actions only, so it always throws in a route handler. */
export function refresh(): never {
  throw new Error('refresh can only be called from within a Server Action. See more info here: https://nextjs.org/docs/app/api-reference/functions/refresh')
}
