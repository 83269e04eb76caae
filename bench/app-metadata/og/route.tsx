// Bench (metadata.mjs): an Open Graph card rendered on every request (a route handler is dynamic).
import { ImageResponse } from '@routeware/core/og'

export function GET(request: Request) {
  const title = new URL(request.url).searchParams.get('title') ?? 'Routeware'
  return new ImageResponse(
    <div style={{ display: 'flex', flexDirection: 'column', justifyContent: 'center', width: '100%', height: '100%', padding: 80, background: '#0b1020', color: 'white' }}>
      <div style={{ fontSize: 96, fontWeight: 700 }}>{title}</div>
      <div style={{ fontSize: 40, marginTop: 24, color: '#9fb3ff' }}>Next.js Route Handlers inside Express and Fastify</div>
    </div>,
  )
}
