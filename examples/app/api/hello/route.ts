// GET /api/hello -> 200 {"message":"Hello, world!"}
export async function GET() {
  return Response.json({ message: 'Hello, world!' })
}
