/**
 * An in-memory audit log, written by `after()` once the response has been sent: the client never
 * waits for it. A real app would write to a database or a log service here.
 */

export interface AuditEntry {
  action: string
  id: string
  at: string
}

const entries: AuditEntry[] = []

export async function writeAudit(entry: AuditEntry): Promise<void> {
  // Stands for a slow write (a database, a log service).
  await new Promise((resolve) => setTimeout(resolve, 50))
  entries.push(entry)
  if (entries.length > 50) entries.shift()
}

/** The newest entries first. */
export function recentAudit(): AuditEntry[] {
  return [...entries].reverse()
}
