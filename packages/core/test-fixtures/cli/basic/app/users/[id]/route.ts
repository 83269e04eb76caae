export const dynamic = 'force-dynamic'
export const revalidate = 60
export const maxDuration = 5

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return Response.json(await params)
}

export function DELETE() {
  return new Response(null, { status: 204 })
}
