/** What one run of a route needs: the route, the request, its params, and the router's settings. */
import type { Lifecycle } from '../lifecycle/lifecycle.js'
import type { LoadedRoute } from '../load/load-table.js'
import type { Logger, ResolvedRoutesOptions } from '../options.js'
import type { CacheControl, CollectedTags } from '../scope/request-scope.js'
import type { RequestSource } from '../seam.js'

/** Everything one run needs. */
export interface RunInput {
  route: LoadedRoute
  source: RequestSource
  params: Record<string, string | string[]> | undefined
  options: ResolvedRoutesOptions
  /** This request's logger: the host's (Fastify's `request.log`), or the router's. */
  logger: Logger
  /** What `revalidatePath()` reaches from inside the handler. */
  control: CacheControl | undefined
  /** The path below the mount prefix, as received (no query). */
  path: string
  /** A draft-mode request served past the cache: `draftMode().isEnabled` is true whatever the handler's request carries. */
  draft?: boolean
  /** Set while a cacheable GET generates its entry: the tags and `revalidate` of the data it read. */
  collected?: CollectedTags
  /** The router's lifecycle (`after()`, `onRequestError`, `close()`); none for prerendering at start-up. */
  lifecycle?: Lifecycle
}
