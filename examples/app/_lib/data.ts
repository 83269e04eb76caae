/**
 * A private module: folders starting with `_` are never routable (as in Next.js), so this file
 * is only reachable through imports. Route files share it like any other TypeScript module.
 */

export interface Post {
  slug: string
  title: string
  date: string
  summary: string
}

export const posts: readonly Post[] = [
  { slug: 'hello-world', title: 'Hello, world', date: '2025-01-15', summary: 'The first post.' },
  { slug: 'route-handlers', title: 'Route Handlers outside Next.js', date: '2025-02-01', summary: 'Serving app/**/route.ts from Express and Fastify.' },
]

/** Old slugs that moved: `/api/blog/first-post` redirects to `/api/blog/hello-world`. */
export const movedPosts: Readonly<Record<string, string>> = { 'first-post': 'hello-world' }

export function getPost(slug: string): Post | undefined {
  return posts.find((post) => post.slug === slug)
}

export function searchPosts(query: string): Post[] {
  const q = query.toLowerCase()
  return posts.filter((post) => post.title.toLowerCase().includes(q) || post.summary.toLowerCase().includes(q))
}
