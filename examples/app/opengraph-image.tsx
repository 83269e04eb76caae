// GET /opengraph-image -> a 1200x630 PNG rendered from JSX (no React needed: Routeware compiles the
// JSX; @vercel/og renders it, installed beside the app). Rendered once at start-up, then cached.
import { ImageResponse } from '@routeware/core/og'
import { posts } from './_lib/data'

export const alt = 'Routeware: Next.js Route Handlers inside Express and Fastify'
export const size = { width: 1200, height: 630 }
export const contentType = 'image/png'

export default function Image() {
  return new ImageResponse(
    <div style={{ display: 'flex', flexDirection: 'column', justifyContent: 'center', width: '100%', height: '100%', padding: 80, background: '#0b1020', color: 'white' }}>
      <div style={{ fontSize: 96, fontWeight: 700 }}>Routeware</div>
      <div style={{ fontSize: 40, marginTop: 24, color: '#9fb3ff' }}>{alt.split(': ')[1]}</div>
      <div style={{ fontSize: 28, marginTop: 48 }}>{`${posts.length} posts on the example blog`}</div>
    </div>,
    size,
  )
}
