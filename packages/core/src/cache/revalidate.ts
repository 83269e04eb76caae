/** `revalidatePath()` from `next/cache`, reaching the cache of the router serving the current request. */
import { currentRun, maybeOutsideScope } from '../lifecycle/current-run.js'
import { currentScope } from '../scope/request-scope.js'

/**
 * Drop the cached response of `path` (the path below the mount prefix); with `'layout'`, of every
 * path below it too. The next request regenerates it (MISS). Call it from a route handler: it
 * reaches the entries of the mount the handler's request came through (under `/t/:tenant`, that
 * tenant's).
 */
export async function revalidatePath(path: string, type?: 'page' | 'layout'): Promise<void> {
  // A handler that began before the scope was on joins it here (during its synchronous start).
  const scope = currentScope() ?? (currentRun() === undefined ? undefined : currentScope())
  if (!scope?.cache) {
    if (!scope) maybeOutsideScope()
    throw new Error('`revalidatePath` was called outside a request scope. Call it inside a route handler (or a function it calls).')
  }
  await scope.cache.revalidatePath(path, type, scope.request.nextUrl.basePath)
}
