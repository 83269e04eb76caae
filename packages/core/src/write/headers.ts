/**
 * The header rule every writer shares: a header the handler sets replaces a host header of the
 * same name (set earlier by cors(), helmet, a hook); `Set-Cookie` and `Vary` are appended.
 */
import type { ServerResponse } from 'node:http'
import type { Outgoing } from '../seam.js'

/** Merge a `Vary` value into the one already set: both kept, each field once. */
export function mergeVary(existing: unknown, value: string): string {
  if (existing === undefined || existing === null || existing === '') return value
  const fields = String(existing).split(',').map((f) => f.trim()).filter(Boolean)
  const seen = new Set(fields.map((f) => f.toLowerCase()))
  for (const field of value.split(',').map((f) => f.trim()).filter(Boolean)) {
    if (!seen.has(field.toLowerCase())) {
      seen.add(field.toLowerCase())
      fields.push(field)
    }
  }
  return fields.join(', ')
}

/** Where a writer puts headers: Node's `ServerResponse`, Fastify's `reply`. */
export interface HeaderTarget {
  getHeader(name: string): unknown
  /** Replace the header. */
  set(name: string, value: string): void
  /** Add one more line of the header. */
  append(name: string, value: string): void
}

/** Apply `headers` to `target` by the rule: replace, but append `Set-Cookie` and merge `Vary`. */
export function mergeHeaders(target: HeaderTarget, headers: Outgoing['headers']): void {
  for (const [name, value] of headers) {
    if (name === 'set-cookie') target.append(name, value)
    else if (name === 'vary') target.set(name, mergeVary(target.getHeader(name), value))
    else target.set(name, value)
  }
}

/** The rule on a Node `ServerResponse` (the hot path: no adapter object per response). */
export function applyHeaders(res: ServerResponse, headers: Outgoing['headers']): void {
  for (const [name, value] of headers) {
    if (name === 'set-cookie') res.appendHeader(name, value)
    else if (name === 'vary') res.setHeader(name, mergeVary(res.getHeader(name), value))
    else res.setHeader(name, value)
  }
}
