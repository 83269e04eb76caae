// A syntax error (the call below is never closed): `routes` names this file and the line.
export function GET() {
  return new Response('broken'
}
