// GET /api/search?q=route&limit=5 -> the matching posts.
import type { NextRequest } from '@routeware/core/server'
import { searchPosts } from '../../_lib/data'

export function GET(request: NextRequest) {
  const searchParams = request.nextUrl.searchParams
  const query = searchParams.get('q') ?? ''
  const limit = Number(searchParams.get('limit') ?? 10)
  const results = query ? searchPosts(query).slice(0, limit).map((post) => post.slug) : []
  return Response.json({ query, limit, results })
}
