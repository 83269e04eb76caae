import { ImageResponse } from '@routeware/core/og'

export function GET() {
  return new ImageResponse(<div>og</div>)
}
