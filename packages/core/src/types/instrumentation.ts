/**
 * `@routeware/core/instrumentation`: the types of an `instrumentation.ts`, as `next` declares them
 * (`import type { Instrumentation } from 'next'`), so `Instrumentation.onRequestError` types the export.
 */

/** Where and how the failed request was being handled (Next 16's `RequestErrorContext`). */
export interface RequestErrorContext {
  routerKind: 'Pages Router' | 'App Router'
  /** The route, `/users/[id]`. */
  routePath: string
  /** Routeware reports `'route'` (a route handler) and `'proxy'`. */
  routeType: 'render' | 'route' | 'action' | 'middleware' | 'proxy'
  renderSource?: 'react-server-components' | 'react-server-components-payload' | 'server-rendering'
  /** `undefined` for a request; Next's `'on-demand'` / `'stale'` for revalidations. */
  revalidateReason: 'on-demand' | 'stale' | undefined
  renderType?: 'dynamic' | 'dynamic-resume'
}

/** The request that failed: `path` with the query, `headers` a plain object (Node's `req.headers`). */
export interface RequestErrorRequest {
  path: string
  method: string
  headers: NodeJS.Dict<string | string[]>
}

/** `export function onRequestError(error, request, context)` of `instrumentation.ts`. */
export type InstrumentationOnRequestError = (error: unknown, errorRequest: Readonly<RequestErrorRequest>, errorContext: Readonly<RequestErrorContext>) => void | Promise<void>

/** `Instrumentation.onRequestError`, as Next names it. */
export declare namespace Instrumentation {
  type onRequestError = InstrumentationOnRequestError
}
