import { ImageResponse } from '@routeware/core/og'

export const size = { width: 1200, height: 630 }
export default function Image() {
  return new ImageResponse(<div>Acme</div>, size)
}
