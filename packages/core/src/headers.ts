/** `@routeware/core/headers`: mirrors `next/headers`. */
export { cookies, headers, draftMode, ReadonlyHeaders, RequestCookieStore } from './web/request-helpers.js'
