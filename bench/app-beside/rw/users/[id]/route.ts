/** The Routeware route mounted beside the host's own routes (`fastify-beside`): never requested by the load. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return Response.json({ id })
}
