/**
 * `@routeware/core/headers`: mirrors `next/headers`. A route module that imports it turns the
 * request scope on (its one side effect, listed in package.json's `sideEffects`).
 */
import { enableRequestScope } from './scope/request-scope.js'
export { cookies, headers, draftMode, ReadonlyHeaders, RequestCookieStore } from './web/request-helpers.js'

enableRequestScope()
