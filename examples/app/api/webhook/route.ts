// POST /api/webhook: verify `x-signature` = hex(HMAC-SHA256(secret, raw body)).
// Read the raw bytes with request.text() *before* parsing: re-serialized JSON would not match.
import { createHmac, timingSafeEqual } from 'node:crypto'

const secret = process.env.WEBHOOK_SECRET ?? 'dev-secret'

export async function POST(request: Request) {
  const body = await request.text()
  const signature = request.headers.get('x-signature') ?? ''
  const expected = createHmac('sha256', secret).update(body).digest()
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return Response.json({ ok: false, error: 'invalid signature' }, { status: 401 })
  }
  // The payload is trusted from here on: JSON.parse(body), enqueue a job, ...
  return Response.json({ ok: true })
}
