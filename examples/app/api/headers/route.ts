// GET /api/headers -> echoes the User-Agent and sets a custom response header.
export async function GET(request: Request) {
  const userAgent = request.headers.get('user-agent')
  return Response.json({ userAgent }, { headers: { 'X-Example': 'routeware' } })
}
