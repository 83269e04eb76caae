/** A fetch `Request`'s body (what `createHandler` is given), with `bodyLimit` enforced as it streams. */
import type { BodySource } from '../seam.js'
import { bodyTooLarge } from '../errors.js'

/** A web stream (the body of a fetch `Request` given to `createHandler`). */
export function webBodySource(body: ReadableStream<Uint8Array>, limit: number): BodySource {
  const limited = () => {
    let size = 0
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength
          if (size > limit) controller.error(bodyTooLarge(limit))
          else controller.enqueue(chunk)
        },
      }),
    )
  }
  return {
    async collect() {
      const reader = limited().getReader()
      const chunks: Uint8Array[] = []
      let size = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        size += value.byteLength
      }
      if (chunks.length === 1) return chunks[0]!
      const out = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        out.set(chunk, offset)
        offset += chunk.byteLength
      }
      return out
    },
    stream: limited,
  }
}
