// Not one of 'auto', 'error', 'force-static', 'force-dynamic'.
export const dynamic = 'nope'

export function GET() {
  return new Response('never served')
}
