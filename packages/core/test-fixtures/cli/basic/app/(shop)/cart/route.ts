export const runtime = 'nodejs'
export const revalidate = false

export function generateStaticParams() {
  return []
}

export function GET() {
  return Response.json({ items: [] })
}
