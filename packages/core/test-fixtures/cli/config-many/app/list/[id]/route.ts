// generateStaticParams must be a function.
export const generateStaticParams = []

export function GET() {
  return new Response('never served')
}
