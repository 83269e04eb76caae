/** Raw HTTP over a socket, for paths a client library would normalize (`/a/../b`, `//a`, `%2e`). */
import { requestBytes, sendRaw } from './_hostile.js'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[]>
  body: string
}

/**
 * Send one well-formed request exactly as written and read the whole response (Connection:
 * close). Built on `_hostile.ts`'s client, but strict: no status line, or no end, rejects.
 */
export async function rawRequest(origin: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const fields = Object.entries(headers).map(([name, value]): [string, Buffer] => [name, Buffer.from(value)])
  const answer = await sendRaw(origin, requestBytes(origin, method, Buffer.from(path), fields, body))
  if (answer.status === undefined || answer.error === 'timeout') {
    throw new Error(`no complete response to ${method} ${path}${answer.error ? ` (${answer.error})` : ''}: ${JSON.stringify(answer.head)}`)
  }
  return { status: answer.status, headers: answer.headers, body: answer.body }
}
