// GET /api/me -> the caller proxy.ts let in: it checks the bearer token (401 otherwise) and
// forwards the user as the x-user request header.
import type { NextRequest } from '@routeware/core/server'

export async function GET(request: NextRequest) {
  return Response.json({ user: request.headers.get('x-user') })
}
