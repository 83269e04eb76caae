// GET /hello: a static route with the global Response.
export function GET(): Response {
  return new Response('hello from a route.ts', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
}
