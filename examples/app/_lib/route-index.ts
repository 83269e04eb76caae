/**
 * The index page's parts: each route of the table with a working sample URL and a curl line,
 * rendered as HTML or JSON. The route list itself always comes from the live table (`listRoutes`);
 * only the samples below are written by hand.
 */
import type { RouteRow } from '@routeware/core'
import { posts } from './data'

/** A route of the index: its row of the table, plus where to try it. */
export interface IndexEntry extends RouteRow {
  /** The path to request, dynamic segments filled with a sample, mount prefix included. */
  href: string
  /** One curl line per exported method. */
  curl: string[]
}

/** Sample values for dynamic segments, by route pattern: values the routes answer 200 for. */
const SAMPLE_PARAMS: Record<string, Record<string, string | string[]>> = {
  '/api/blog/[slug]': { slug: posts[0]!.slug },
  '/api/docs/[...slug]': { slug: ['getting-started', 'install'] },
}

/**
 * What curl sends with a method that takes a body, by `METHOD /pattern` (without an entry, no
 * body): the arguments after the URL, and any shell the line needs before curl.
 */
const SAMPLE_BODIES: Record<string, { args: string; before?: string }> = {
  'POST /api/items': { args: `-H 'content-type: application/json' -d '{"name":"widget","price":9.5}'` },
  'POST /api/form': { args: `-d 'name=Ada&lang=en'` },
  'POST /api/webhook': {
    before: `BODY='{"event":"ping"}'; SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "\${WEBHOOK_SECRET:-dev-secret}" | awk '{print $NF}');`,
    args: `-H 'content-type: application/json' -H "x-signature: $SIG" --data-binary "$BODY"`,
  },
}

/**
 * `/api/blog/[slug]` -> `/api/blog/hello-world`: a sample where one is known, the parameter's name
 * otherwise; an optional catch-all is left empty. Every segment is percent-encoded, as a URL holds it.
 */
export function samplePath(pattern: string): string {
  const samples = SAMPLE_PARAMS[pattern] ?? {}
  const segments = pattern.split('/').flatMap((segment) => {
    const optional = /^\[\[\.\.\.(.+)\]\]$/.exec(segment)
    const catchAll = /^\[\.\.\.(.+)\]$/.exec(segment)
    const single = /^\[(.+)\]$/.exec(segment)
    const name = optional?.[1] ?? catchAll?.[1] ?? single?.[1]
    if (name === undefined) return [encodeURIComponent(segment)]
    const value = samples[name] ?? (optional ? [] : name)
    return (Array.isArray(value) ? value : [value]).map(encodeURIComponent)
  })
  return segments.join('/') || '/'
}

/** `'…'` for a POSIX shell: single quotes, an embedded quote closed, escaped, reopened. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** Every row with its sample URL under `basePath` and a curl line per method against `origin`. */
export function toIndexEntries(rows: readonly RouteRow[], origin: string, basePath: string): IndexEntry[] {
  return rows.map((row) => {
    const path = samplePath(row.path)
    const href = basePath + (path === '/' && basePath ? '' : path)
    const url = shellQuote(origin + href)
    const curl = row.methods.map((method) => {
      const body = SAMPLE_BODIES[`${method} ${row.path}`]
      return [body?.before, 'curl -i', method === 'GET' ? '' : `-X ${method}`, url, body?.args].filter(Boolean).join(' ')
    })
    return { ...row, href, curl }
  })
}

/** Whether the client asked for JSON rather than HTML: `application/json` weighs more than `text/html` in `Accept`. */
export function wantsJson(accept: string | null): boolean {
  if (!accept) return false
  let json = 0
  let html = 0
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1)
    const weight = Number.isFinite(q) ? q : 0
    if (type === 'application/json') json = Math.max(json, weight)
    else if (type === 'text/html') html = Math.max(html, weight)
  }
  return json > 0 && json > html
}

/** Text for HTML content and attribute values. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** A small page a browser shows nicely: one table row a route, its link, its curl lines. */
export function renderIndexHtml(entries: readonly IndexEntry[]): string {
  const rows = entries
    .map((entry) => {
      const methods = entry.methods.length ? entry.methods.join(', ') : '-'
      const path = entry.methods.includes('GET')
        ? `<a href="${escapeHtml(entry.href)}">${escapeHtml(entry.path)}</a>`
        : `<span>${escapeHtml(entry.path)}</span>`
      const curl = entry.curl.map((line) => `<code>${escapeHtml(line)}</code>`).join('<br>')
      return `      <tr><td>${escapeHtml(methods)}</td><td>${path}</td><td>${curl}</td><td>${escapeHtml(entry.file)}</td></tr>`
    })
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Routeware example: ${entries.length} routes</title>
    <style>
      body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #d0d7de; }
      code { font: 13px ui-monospace, monospace; background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; user-select: all; }
      td:last-child { color: #59636e; font-size: 13px; }
    </style>
  </head>
  <body>
    <h1>Routeware example</h1>
    <p>${entries.length} routes, read from the route table this server serves (<code>curl -H 'accept: application/json'</code> for JSON; <code>npx routeware routes examples/app</code> prints the same table).</p>
    <table>
      <thead><tr><th>Methods</th><th>Path</th><th>Try it</th><th>File</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
  </body>
</html>
`
}
