/** The one route every contender serves: `GET /users/:id` answers `{"id":"<id>"}`. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return Response.json({ id })
}
