/**
 * `unstable_cache(fn, keyParts, { tags, revalidate })` from `next/cache`
 * (packages/next/src/server/web/spec-extension/unstable-cache.ts): results kept in the router's
 * `cache` store, keyed as Next keys them (the function's source, the key parts, the arguments as
 * JSON), one computation per key at a time; past `revalidate` (or after `revalidateTag(tag,
 * 'max')`) the stale value is served once while it recomputes. Its tags also tag the cached
 * route response that read it.
 */
import { currentRun } from '../lifecycle/current-run.js'
import { currentScope, enableRequestScope, runInScope } from '../scope/request-scope.js'
import { collect } from './control.js'
import { toCacheKey } from './cache-key.js'
import { softTags, validateTags } from './tags.js'


/** Options of `unstable_cache`. */
export interface UnstableCacheOptions {
  /** Seconds the value stays fresh; `false` (default): until one of its tags is revalidated. */
  revalidate?: number | false
  tags?: string[]
}

/** Wrap `fn` so its results are cached across requests (and instances, with a shared store). */
export function unstable_cache<T extends (...args: any[]) => Promise<any>>(fn: T, keyParts?: string[], options: UnstableCacheOptions = {}): T {
  if (options.revalidate === 0) {
    throw new Error(`Invariant revalidate: 0 can not be passed to unstable_cache(), must be "false" or "> 0" ${fn.toString()}`)
  }
  if (options.revalidate !== undefined && options.revalidate !== false && (typeof options.revalidate !== 'number' || !(options.revalidate > 0))) {
    throw new Error(`Invalid revalidate value "${String(options.revalidate)}" on "unstable_cache ${fn.name || fn.toString()}", must be a non-negative number or false`)
  }
  const tags = validateTags(options.tags, `unstable_cache ${fn.toString()}`, (message) => console.warn(message))
  const fixedKey = `${fn.toString()}-${Array.isArray(keyParts) && keyParts.join(',')}`
  // A module that wraps a function here caches per request: the scope is on from now (not on import of the package).
  enableRequestScope()
  const cached = async (...args: unknown[]) => {
    // A handler that began before the scope was on joins it here (during its synchronous start).
    const scope = currentScope() ?? (currentRun() === undefined ? undefined : currentScope())
    // Outside a request (or a draft request, or nested in another cached function) it simply runs, as in Next.
    if (!scope?.cache || scope.draft.enabled === true || scope.inCache) return fn(...args)
    const run = scope.run
    collect(run?.collected, tags, options.revalidate)
    const inner = { ...scope, inCache: 'unstable_cache()' }
    const path = run?.path
    return scope.cache.cachedData({
      key: `${fixedKey}-${JSON.stringify(args)}`,
      tags,
      revalidate: options.revalidate,
      softTags: path === undefined ? [] : softTags(toCacheKey(scope.request.nextUrl.basePath, path)),
      regenerating: run?.collected?.regenerating ?? false,
      compute: () => runInScope(inner, () => fn(...args)),
    })
  }
  return cached as unknown as T
}
