/** `@routeware/core/server`: mirrors `next/server`. */
export { NextRequest, type NextRequestInit } from './web/next-request.js'
export { NextResponse } from './web/next-response.js'
export { NextURL } from './web/next-url.js'
export { userAgent, userAgentFromString, isBot, type UserAgent } from './web/user-agent.js'
export { ResponseCookies, type ResponseCookie } from './web/response-cookies.js'
export { RequestCookies, type RequestCookie } from './web/request-cookies.js'
