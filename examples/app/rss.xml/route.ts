// GET /rss.xml -> an RSS 2.0 feed. A folder named `rss.xml` gives the URL its extension.
import { posts } from '../_lib/data'

const escape = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

export async function GET(request: Request) {
  const origin = new URL(request.url).origin
  const items = posts
    .map(
      (post) => `    <item>
      <title>${escape(post.title)}</title>
      <link>${origin}/api/blog/${post.slug}</link>
      <guid>${origin}/api/blog/${post.slug}</guid>
      <pubDate>${new Date(post.date).toUTCString()}</pubDate>
      <description>${escape(post.summary)}</description>
    </item>`,
    )
    .join('\n')
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Routeware example blog</title>
    <link>${origin}</link>
    <description>Posts served by a route handler</description>
${items}
  </channel>
</rss>
`
  return new Response(xml, { headers: { 'Content-Type': 'application/xml' } })
}
