export const preferredRegion = ['iad1', 'fra1']

export async function GET(_request, { params }) {
  return Response.json(await params)
}
