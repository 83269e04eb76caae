/** `@routeware/core/server`: mirrors `next/server`. */
export { NextRequest, type NextRequestInit } from './web/next-request.js'
export { NextResponse } from './web/next-response.js'
export { NextURL } from './web/next-url.js'
