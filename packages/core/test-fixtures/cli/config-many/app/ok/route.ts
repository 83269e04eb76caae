export const revalidate = 60

export function GET() {
  return new Response('ok')
}
