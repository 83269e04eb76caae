// GET /api/cookies -> reads the `theme` cookie and sets two cookies (two Set-Cookie lines).
import type { NextRequest } from '@routeware/core/server'

export async function GET(request: NextRequest) {
  const theme = request.cookies.get('theme')?.value ?? null
  const headers = new Headers({ 'Content-Type': 'application/json' })
  headers.append('Set-Cookie', 'theme=dark; Path=/; Max-Age=31536000; SameSite=Lax')
  headers.append('Set-Cookie', `visits=${Number(request.cookies.get('visits')?.value ?? 0) + 1}; Path=/; HttpOnly`)
  return new Response(JSON.stringify({ theme }), { headers })
}
