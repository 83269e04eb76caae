// A proxy whose matcher misses every bench request (GET /users/123, /echo, /stream): what a
// proxy.ts costs the paths it does not cover.
import { NextResponse } from '@routeware/core/server'

export function proxy() {
  return NextResponse.json({ error: 'unauthorized' }, { status: 401 })
}

export const config = { matcher: ['/admin/:path*', '/((?!users|echo|stream|cached).*)'] }
