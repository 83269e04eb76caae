export function GET() {
  return Response.json({ id: 'me' })
}
