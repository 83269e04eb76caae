// POST /api/items with a JSON body -> 201, the body with a generated id.
// Only POST is exported, so GET answers 405 with `Allow: OPTIONS, POST`.
import { randomUUID } from 'node:crypto'

export async function POST(request: Request) {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    return Response.json({ error: 'Body must be JSON' }, { status: 400 })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return Response.json({ error: 'Body must be a JSON object' }, { status: 400 })
  }
  return Response.json({ id: randomUUID(), ...body }, { status: 201 })
}
