/**
 * A rewrite to another origin: the request is sent there with `fetch`, its body streamed
 * (`duplex: 'half'`), and the answer streamed back. Hop-by-hop fields (RFC 9110 §7.6.1) stay on
 * their own connection both ways; the writer drops them from the answer (`toSendableHeaders`).
 */
import { isRoutewareError } from '../errors.js'
import type { Logger } from '../options.js'
import { emptyOutgoing, type HostRequest, type Outgoing } from '../seam.js'
import { toOutgoing } from '../web/outgoing.js'

/** Request fields that belong to one connection, or that `fetch` sets for the bytes it sends. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect'])

/** Fetch `target` with `source`'s method, headers and body; its answer as an `Outgoing`. */
export async function fetchRewrite(target: URL, source: HostRequest, bodyLimit: number, logger: Logger, file: string): Promise<Outgoing> {
  const headers = source.headers()
  // Fields named in `Connection` are hop-by-hop too.
  for (const name of (headers.get('connection') ?? '').split(',')) if (name.trim()) headers.delete(name.trim())
  for (const name of HOP_BY_HOP) headers.delete(name)
  const { method } = source
  const body = method === 'GET' || method === 'HEAD' ? null : source.body(bodyLimit)
  let response: Response
  try {
    response = await fetch(target, {
      method,
      headers,
      body: body ? body.stream() : null,
      duplex: 'half',
      redirect: 'manual',
      signal: source.signal(),
    } as RequestInit)
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause
    if (isRoutewareError(cause) && cause.status < 500) return emptyOutgoing(cause.status, cause.status === 413 ? [['connection', 'close']] : [])
    logger.error(`The proxy ${file} rewrote ${method} ${source.url} to ${target.href}, which could not be fetched; answered 502:`, error)
    return emptyOutgoing(502)
  }
  return toOutgoing(response, method === 'HEAD')
}
