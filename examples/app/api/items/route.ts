// POST /api/items with a JSON body -> 201, the body with a generated id.
// Only POST is exported, so GET answers 405 with `Allow: OPTIONS, POST`.
// The audit entry is written by after(), once the 201 has been sent (see GET /api/audit).
import { randomUUID } from 'node:crypto'
import { after } from '@routeware/core/server'
import { writeAudit } from '../../_lib/audit'

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
  const id = randomUUID()
  after(() => writeAudit({ action: 'item.created', id, at: new Date().toISOString() }))
  return Response.json({ id, ...body }, { status: 201 })
}
