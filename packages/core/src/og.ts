/** `@routeware/core/og`: mirrors `next/og`. */
export { ImageResponse, type ImageResponseOptions } from './og/image-response.js'
