export const revalidate = -5

export function GET() {
  return new Response('never served')
}
