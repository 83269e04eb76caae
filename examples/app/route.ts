// GET / -> an index of every route this app serves: methods, a link, a curl line. HTML for a
// browser; JSON with `Accept: application/json`. The list is the live route table (listRoutes
// from @routeware/core, the rows `routeware routes --json` prints), so new route files show up.
import { listRoutes } from '@routeware/core'
import type { NextRequest } from '@routeware/core/server'
import { renderIndexHtml, toIndexEntries, wantsJson } from './_lib/route-index'

/** This file sits at the root of the app directory. */
const appDir = new URL('.', import.meta.url)

export async function GET(request: NextRequest) {
  const { origin, basePath } = request.nextUrl
  const entries = toIndexEntries(await listRoutes(appDir), origin, basePath)
  const headers = { vary: 'accept' }
  if (wantsJson(request.headers.get('accept'))) return Response.json({ routes: entries }, { headers })
  return new Response(renderIndexHtml(entries), { headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } })
}
