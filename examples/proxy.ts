// proxy.ts beside app/, as in a Next.js 16 app (middleware.ts before 16): it runs before route
// matching, for the paths `config.matcher` lists. Here it does what Next's docs advise for
// route handlers: CORS for every /api route in one place, and an auth check on /api/me that
// hands the user to the handler as a request header.
import { NextResponse, type NextRequest, type ProxyConfig } from '@routeware/core/server'

const allowedOrigins = ['https://app.example.com', 'http://localhost:5173']
const corsOptions = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
}
const apiToken = process.env.API_TOKEN ?? 'demo-token'

export function proxy(request: NextRequest) {
  const origin = request.headers.get('origin') ?? ''
  const allowed = allowedOrigins.includes(origin)

  // A preflight from an allowed origin is answered here, before any route runs.
  if (allowed && request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
    return new NextResponse(null, { status: 204, headers: { 'Access-Control-Allow-Origin': origin, ...corsOptions, 'Access-Control-Max-Age': '86400', Vary: 'Origin' } })
  }

  let requestHeaders: Headers | undefined
  if (request.nextUrl.pathname === '/api/me' && request.method !== 'OPTIONS') {
    if (request.headers.get('authorization') !== `Bearer ${apiToken}`) {
      return NextResponse.json({ error: 'unauthorized' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } })
    }
    // The handler reads who is calling from a request header the client cannot set itself.
    requestHeaders = new Headers(request.headers)
    requestHeaders.set('x-user', 'demo')
  }

  const response = NextResponse.next(requestHeaders ? { request: { headers: requestHeaders } } : undefined)
  // Added to whatever the route answers (a header the route sets itself wins).
  if (allowed) {
    response.headers.set('Access-Control-Allow-Origin', origin)
    for (const [name, value] of Object.entries(corsOptions)) response.headers.set(name, value)
    response.headers.set('Vary', 'Origin')
  }
  return response
}

export const config: ProxyConfig = {
  matcher: '/api/:path*',
}
