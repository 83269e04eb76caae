export const preferredRegion = 42
export const fetchCache = 'sometimes'
export const runtime = 'deno'

export function POST() {
  return new Response('never served')
}
