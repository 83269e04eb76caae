// A syntax error (the call below is never closed).
export function GET() {
  return new Response('broken'
}
