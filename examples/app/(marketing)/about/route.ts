// GET /about: `(marketing)` is a route group, it organizes files but is not part of the URL.
export async function GET() {
  return new Response('About Routeware: Next.js Route Handlers inside Express and Fastify.\n', {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}
