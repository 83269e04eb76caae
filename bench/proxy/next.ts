// A proxy that matches every request and lets it through: NextResponse.next(), as an auth check
// that finds the request allowed does.
import { NextResponse, type NextRequest } from '@routeware/core/server'

export function proxy(_request: NextRequest) {
  return NextResponse.next()
}

export const config = { matcher: '/:path*' }
