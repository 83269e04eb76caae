// Two problems in one file: both are named, under one heading for the route.
export const revalidate = -5
export const dynamic = 'nope'

export function GET() {
  return new Response('never served')
}
