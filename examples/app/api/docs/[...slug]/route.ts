// GET /api/docs/a/b/c -> {"slug":["a","b","c"]}. A catch-all needs at least one segment:
// /api/docs alone is not matched (use [[...slug]] for an optional catch-all).
export async function GET(request: Request, { params }: { params: Promise<{ slug: string[] }> }) {
  const { slug } = await params
  return Response.json({ slug, path: slug.join('/') })
}
