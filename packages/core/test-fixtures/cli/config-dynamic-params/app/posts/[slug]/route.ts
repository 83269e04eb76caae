// dynamicParams must be a boolean.
export const dynamicParams = 'x'

export function GET() {
  return new Response('never served')
}
