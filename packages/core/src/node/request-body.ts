/** A Node request's body, read only when the handler asks, with `bodyLimit` enforced as it streams. */
import type { Readable } from 'node:stream'
import { bodyAborted, bodyConsumed, bodyTooLarge } from '../errors.js'
import type { BodySource, ParsedBody } from '../seam.js'

const EMPTY = new Uint8Array(0)

/**
 * A Node stream (an `IncomingMessage`, or the payload a Fastify hook handed over). Past the limit
 * the read rejects and `pastLimit` drops the rest of the body (`drainPastLimit`).
 */
export function nodeBodySource(input: Readable, contentLength: string | undefined, limit: number, pastLimit: () => void): BodySource {
  const declared = contentLength === undefined ? -1 : Number(contentLength)
  return {
    collect() {
      return new Promise<Uint8Array>((resolve, reject) => {
        if (declared > limit) return discard(pastLimit, bodyTooLarge(limit), reject)
        if (input.readableEnded) return resolve(EMPTY)
        const chunks: Buffer[] = []
        let size = 0
        const onData = (chunk: Buffer) => {
          size += chunk.length
          if (size > limit) {
            cleanup()
            discard(pastLimit, bodyTooLarge(limit), reject)
            return
          }
          chunks.push(chunk)
        }
        const onEnd = () => {
          cleanup()
          resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
        }
        const onClose = () => {
          cleanup()
          reject(bodyAborted())
        }
        const onError = (error: Error) => {
          cleanup()
          reject(isAbort(error) ? bodyAborted() : error)
        }
        const cleanup = () => {
          input.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError)
        }
        input.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError)
        input.resume()
      })
    },
    stream() {
      let size = 0
      let finished = false
      const cleanup = () => {
        finished = true
        input.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError)
      }
      let controller!: ReadableStreamDefaultController<Uint8Array>
      const onData = (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) {
          cleanup()
          controller.error(bodyTooLarge(limit))
          pastLimit()
          return
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) input.pause()
      }
      const onEnd = () => {
        cleanup()
        controller.close()
      }
      const onClose = () => {
        if (finished) return
        cleanup()
        controller.error(bodyAborted())
      }
      const onError = (error: Error) => {
        cleanup()
        controller.error(isAbort(error) ? bodyAborted() : error)
      }
      return new ReadableStream<Uint8Array>(
        {
          start(c) {
            controller = c
            if (declared > limit) {
              finished = true
              c.error(bodyTooLarge(limit))
              pastLimit()
              return
            }
            if (input.readableEnded) {
              finished = true
              c.close()
              return
            }
            input.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError)
          },
          pull() {
            if (!finished) input.resume()
          },
          cancel() {
            if (finished) return
            cleanup()
            // Drain what is left so a keep-alive connection stays usable.
            input.resume()
          },
        },
        { highWaterMark: 65536, size: (chunk) => chunk.byteLength },
      )
    },
  }
}

/**
 * The body after a host parser read the stream. Exact bytes when the parser kept them (a Buffer
 * from `express.raw()`, a UTF-8 string from `express.text()`, `req.rawBody` from a `verify`
 * hook); `json()` and `formData()` from the parsed value otherwise. Never a hang, never bytes
 * re-serialized from the parsed value: reading bytes that were not kept rejects, saying how to fix it.
 */
export function parsedBodySource(parsed: ParsedBody, limit: number): BodySource {
  const { value, contentType } = parsed
  const raw: Uint8Array | undefined =
    parsed.raw ?? (value instanceof Uint8Array ? value : typeof value === 'string' && isUtf8Text(contentType) ? Buffer.from(value, 'utf8') : undefined)
  const bytes = async (): Promise<Uint8Array> => {
    if (raw === undefined) throw bodyConsumed(parsed)
    if (raw.byteLength > limit) throw bodyTooLarge(limit)
    return raw
  }
  return {
    collect: bytes,
    stream() {
      return new ReadableStream<Uint8Array>({
        async start(controller) {
          try {
            controller.enqueue(await bytes())
            controller.close()
          } catch (error) {
            controller.error(error)
          }
        },
      })
    },
    async json() {
      if (raw !== undefined) return JSON.parse(new TextDecoder().decode(await bytes()))
      if (typeof value === 'string') return JSON.parse(value)
      if (value !== undefined && value !== null && typeof value === 'object' && /json/i.test(contentType)) return value
      throw bodyConsumed(parsed)
    },
    async formData() {
      if (raw !== undefined) return new Response(await bytes(), { headers: { 'content-type': contentType } }).formData()
      if (value !== null && typeof value === 'object' && /^application\/x-www-form-urlencoded/i.test(contentType)) {
        const form = new FormData()
        for (const [key, entry] of Object.entries(value)) {
          for (const item of Array.isArray(entry) ? entry : [entry]) form.append(key, typeof item === 'string' ? item : JSON.stringify(item))
        }
        return form
      }
      throw bodyConsumed(parsed)
    },
  }
}

function isUtf8Text(contentType: string): boolean {
  const charset = /charset=["']?([^;"']+)/i.exec(contentType)?.[1]
  return charset === undefined || /^utf-?8$/i.test(charset)
}

function discard(pastLimit: () => void, error: Error, reject: (error: Error) => void): void {
  // Keep reading and dropping so the connection can answer 413; memory stays flat.
  pastLimit()
  reject(error)
}

function isAbort(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNRESET' || error.message === 'aborted'
}
