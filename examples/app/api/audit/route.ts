// GET /api/audit -> the audit entries after() wrote for POST /api/items, newest first.
import { recentAudit } from '../../_lib/audit'

export const dynamic = 'force-dynamic'

export function GET() {
  return Response.json({ entries: recentAudit() })
}
