/** `GET /users/:id`: a dynamic param, answered as JSON. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return Response.json({ id })
}
