/** `GET /files/*`: a catch-all, with a header and a cookie. */
export async function GET(_request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await params
  const response = Response.json({ path })
  response.headers.set('cache-control', 'no-store')
  response.headers.append('set-cookie', 'seen=1; Path=/')
  return response
}
