// maxDuration must be a non-negative integer.
export const maxDuration = 1.5

export function GET() {
  return new Response('never served')
}
