/**
 * What a writer may send: header names, values and the status text checked against the rules
 * Node's `ServerResponse` enforces, before anything is written (so a bad value is a 500 for its
 * request, never a throw halfway through a write), and the framing fields left to the writer.
 */

// nodejs/node lib/_http_common.js: `checkIsHttpToken` (tchar, RFC 9110 §5.6.2) and
// `checkInvalidHeaderChar`; `setHeader`/`writeHead` throw ERR_INVALID_HTTP_TOKEN and
// ERR_INVALID_CHAR for what these refuse. undici's Headers lets 0x01-0x08, 0x0B, 0x0C, 0x0E-0x1F
// and 0x7F through in values (it refuses only NUL, CR and LF), so a value a handler copied from
// the request passes `new Headers()` and fails at the write.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/

/**
 * Fields that frame the message or belong to one connection: the writer sets them for the bytes
 * it actually sends. `content-length` and `transfer-encoding` (RFC 9112 §6.1-6.3), the
 * connection options of RFC 9110 §7.6.1 (`connection`, `proxy-connection`, `keep-alive`, `te`,
 * `upgrade`), and `trailer`: no trailer section is ever sent (RFC 9110 §6.6.2).
 */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer'])

/** A name or value shown in an error: quoted, control characters escaped, never a log line of its own. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}

/** An error as Node raises it for the same header (same `code`), naming the field. */
function refused(code: 'ERR_INVALID_HTTP_TOKEN' | 'ERR_INVALID_CHAR', message: string): TypeError {
  return Object.assign(new TypeError(message), { code })
}

/** Throw unless Node would write this header as given. */
export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) {
    throw refused('ERR_INVALID_HTTP_TOKEN', `The response header name ${quoted(name)} is not a valid HTTP token (RFC 9110 §5.6.2): the response was not sent.`)
  }
  if (INVALID_VALUE.test(value)) {
    throw refused('ERR_INVALID_CHAR', `The response header ${quoted(name)} holds a character a header value cannot carry (a control character other than tab, or one past U+00FF): the response was not sent.`)
  }
}

/**
 * The entries a writer may send: each checked (throws naming the first bad one), framing fields
 * dropped, names lowercased. `fromHeaders`: the entries come from this realm's `Headers`, whose
 * names are lowercase tokens already, so only values are checked (the hot path). Returns
 * `entries` itself when nothing changed.
 */
export function toSendableHeaders(entries: Array<[string, string]>, fromHeaders: boolean): Array<[string, string]> {
  let out: Array<[string, string]> | undefined
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    let name = entry[0]
    if (fromHeaders) {
      if (INVALID_VALUE.test(entry[1])) checkHeader(name, entry[1])
    } else {
      name = String(name).toLowerCase()
      checkHeader(name, String(entry[1]))
    }
    if (FRAMING.has(name)) out ??= entries.slice(0, i)
    else if (name !== entry[0] || typeof entry[1] !== 'string') (out ??= entries.slice(0, i)).push([name, String(entry[1])])
    else if (out) out.push(entry)
  }
  return out ?? entries
}

/**
 * undici's rule for `statusText` (lib/web/fetch/util.js `isValidReasonPhrase`, the
 * reason-phrase of RFC 9112 §4: HTAB, SP, VCHAR, obs-text), which is also what Node's
 * `writeHead` accepts as a status message.
 */
export function isValidReasonPhrase(text: string): boolean {
  return !INVALID_VALUE.test(text)
}

/** Throw unless `status` and `statusText` can open a response (Node's `writeHead` checks, undici's wording). */
export function checkStatus(status: number, statusText: string): void {
  // nodejs/node lib/_http_server.js writeHead: ERR_HTTP_INVALID_STATUS_CODE outside 100-999.
  if (!Number.isInteger(status) || status < 100 || status > 999) throw new RangeError(`The response status ${quoted(String(status))} is not an HTTP status code: the response was not sent.`)
  if (statusText !== '' && !isValidReasonPhrase(statusText)) throw new TypeError(`Invalid statusText ${quoted(statusText)}: a status text is tab, space, visible ASCII and U+0080-U+00FF only (RFC 9112 §4).`)
}
