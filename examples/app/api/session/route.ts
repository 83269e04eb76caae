// GET /api/session -> counts visits in an httpOnly cookie with cookies() from next/headers;
// DELETE /api/session -> expires that cookie. headers() reads the request's User-Agent.
import { cookies, headers } from '@routeware/core/headers'

export async function GET() {
  const store = await cookies()
  const visits = Number(store.get('visits')?.value ?? 0) + 1
  store.set('visits', String(visits), { httpOnly: true, path: '/' })
  const userAgent = (await headers()).get('user-agent')
  return Response.json({ visits, userAgent })
}

export async function DELETE() {
  ;(await cookies()).delete('visits')
  return new Response(null, { status: 204 })
}
