// Next refuses a negative revalidate (packages/next/src/build/segment-config/app/app-segment-config.ts).
export const revalidate = -5

export function GET() {
  return new Response('never served')
}
