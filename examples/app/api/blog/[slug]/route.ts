// GET /api/blog/:slug -> the post as JSON; a moved slug redirects (307), an unknown one is 404.
import { notFound, redirect } from '@routeware/core/navigation'
import { getPost, movedPosts } from '../../../_lib/data'

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params
  const moved = movedPosts[slug]
  if (moved) redirect(`/api/blog/${moved}`)
  const post = getPost(slug)
  if (!post) notFound()
  return Response.json(post)
}
