/**
 * The cached scenario: `GET /cached/123` answers `{"id":"123"}` from the response cache. The page
 * is static (`force-static`) and prerendered at startup (`generateStaticParams`), so every request
 * is a HIT, in Routeware and in `next start` alike.
 */
export const dynamic = 'force-static'

export function generateStaticParams(): Array<{ id: string }> {
  return [{ id: '123' }]
}

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return Response.json({ id })
}
