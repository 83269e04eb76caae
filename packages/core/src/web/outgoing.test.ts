import { describe, expect, it } from 'vitest'
import { isStreamBody, type StreamBody } from '../seam.js'
import { toOutgoing } from './outgoing.js'
import { NextResponse } from './next-response.js'

const encoder = new TextEncoder()

async function streamOf(response: Response): Promise<StreamBody> {
  const out = await toOutgoing(response, false)
  if (!isStreamBody(out.body)) throw new Error('expected a stream body')
  return out.body
}

async function drainAll(body: StreamBody): Promise<{ reads: string[]; error?: unknown }> {
  const reads: string[] = []
  try {
    for (let chunk = await body.next(); chunk !== undefined; chunk = await body.next()) reads.push(Buffer.from(chunk).toString())
  } catch (error) {
    return { reads, error }
  }
  return { reads }
}

/** A stream that enqueues `count` chunks, each in its own pull, with no I/O in between. */
function readyChunks(count: number, size = 1024, after?: () => Promise<void>): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    async pull(controller) {
      if (after && sent > 0) await after()
      controller.enqueue(encoder.encode(String(sent % 10).repeat(size)))
      if (++sent === count) controller.close()
    },
  })
}

describe('stream bodies: chunks that are ready together leave together', () => {
  it('100 chunks produced without I/O come out in a few reads, bytes and order intact', async () => {
    const { reads } = await drainAll(await streamOf(new Response(readyChunks(100))))
    expect(reads.length).toBeLessThanOrEqual(4)
    expect(reads.join('')).toBe(Array.from({ length: 100 }, (_, i) => String(i % 10).repeat(1024)).join(''))
  })

  it('a joined read stops near 64 KiB, so a long ready stream is still paced', async () => {
    const { reads } = await drainAll(await streamOf(new Response(readyChunks(256, 1024))))
    expect(reads.length).toBeGreaterThanOrEqual(4)
    for (const read of reads) expect(read.length).toBeLessThanOrEqual(64 * 1024 + 1024)
  })

  it('chunks that wait on a timer (SSE) each come out alone, as soon as they exist', async () => {
    const body = await streamOf(new Response(readyChunks(4, 8, () => new Promise((r) => setTimeout(r, 30)))))
    const { reads } = await drainAll(body)
    expect(reads).toEqual(['00000000', '11111111', '22222222', '33333333'])
  })

  it('a stream that errors after ready chunks delivers those bytes, then the error', async () => {
    let sent = 0
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(encoder.encode(`c${sent}`))
        else controller.error(new Error('broke'))
      },
    })
    const { reads, error } = await drainAll(await streamOf(new Response(failing)))
    expect(reads.join('')).toBe('c1c2c3')
    expect((error as Error).message).toBe('broke')
  })
})

describe('headers a writer may send', () => {
  it('drops content-length, transfer-encoding and hop-by-hop fields, keeps the rest in order', async () => {
    const out = await toOutgoing(
      new Response('0123456789', {
        headers: { 'content-length': '5', 'transfer-encoding': 'chunked', connection: 'close', 'keep-alive': 'timeout=1', 'proxy-connection': 'x', upgrade: 'h2c', te: 'trailers', trailer: 'x-sum', 'x-a': '1' },
      }),
      false,
    )
    expect(out.headers).toEqual([['content-type', 'text/plain;charset=UTF-8'], ['x-a', '1']])
  })

  it('refuses, naming the header, a value Node would throw on while writing (undici lets 0x01-0x1F and 0x7F through)', async () => {
    for (const value of ['a\x01b', 'a\x7fb', 'a\x1bb']) {
      const response = new Response('x', { headers: { 'x-echo': value } })
      expect(() => toOutgoing(response, false)).toThrow(/"x-echo"/)
    }
    expect(() => toOutgoing(NextResponse.json({}, { headers: { 'x-echo': 'a\x01' } }), false)).toThrow(/"x-echo"/)
    // Tab, visible ASCII and obs-text are fine.
    expect((await toOutgoing(new Response('x', { headers: { 'x-ok': 'a\tb\u00e9' } }), false)).headers).toContainEqual(['x-ok', 'a\tb\u00e9'])
  })

  it('refuses the header of a Response-like object Node would not write, and cancels its body', async () => {
    let cancelled = false
    const body = new ReadableStream({ cancel: () => void (cancelled = true) })
    const ponyfill = { status: 200, statusText: '', headers: new Map([['bad name', 'v']]), body } as unknown as Response
    expect(() => toOutgoing(ponyfill, false)).toThrow(/"bad name"/)
    await Promise.resolve()
    expect(cancelled).toBe(true)
    const badStatus = { status: 1000, statusText: '', headers: new Headers(), body: null } as unknown as Response
    expect(() => toOutgoing(badStatus, false)).toThrow(RangeError)
    const badText = { status: 200, statusText: 'ok\r\nx: y', headers: new Headers(), body: null } as unknown as Response
    expect(() => toOutgoing(badText, false)).toThrow(/statusText/)
  })
})

describe('content-encoding of a body fetch already decoded', () => {
  const gzipped = async (text: string) => new Uint8Array(await new Response(new Response(text).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer())
  const slow = (chunks: Uint8Array[], type?: 'bytes') => {
    let i = 0
    const source = {
      type,
      async pull(controller: { enqueue(chunk: Uint8Array): void; close(): void }) {
        await new Promise((r) => setTimeout(r, 5))
        if (i === chunks.length) return controller.close()
        controller.enqueue(chunks[i++]!.slice()) // a byte stream detaches what it is given
      },
    }
    return new ReadableStream<Uint8Array>(source as ConstructorParameters<typeof ReadableStream<Uint8Array>>[0])
  }
  const encodingOf = (out: { headers: Array<[string, string]> }) => out.headers.find(([name]) => name === 'content-encoding')?.[1]

  it('gzip: the first bytes decide, streamed or known', async () => {
    const real = await gzipped('hello')
    expect(encodingOf(await toOutgoing(new Response(slow([real]), { headers: { 'content-encoding': 'gzip' } }), false))).toBe('gzip')
    expect(encodingOf(await toOutgoing(new Response(real, { headers: { 'content-encoding': 'gzip' } }), false))).toBe('gzip')
    expect(encodingOf(await toOutgoing(new Response(slow([encoder.encode('hello')]), { headers: { 'content-encoding': 'gzip' } }), false))).toBeUndefined()
    expect(encodingOf(await toOutgoing(new Response(encoder.encode('hello'), { headers: { 'content-encoding': 'x-gzip' } }), false))).toBeUndefined()
  })

  it('br: a byte stream (as fetch bodies are) counts as decoded; a default stream or known bytes keep their coding', async () => {
    const plain = encoder.encode('{"a":1}')
    expect(encodingOf(await toOutgoing(new Response(slow([plain], 'bytes'), { headers: { 'content-encoding': 'br' } }), false))).toBeUndefined()
    expect(encodingOf(await toOutgoing(new Response(slow([plain]), { headers: { 'content-encoding': 'br' } }), false))).toBe('br')
    expect(encodingOf(await toOutgoing(new Response(plain, { headers: { 'content-encoding': 'br' } }), false))).toBe('br')
  })

  it('codings fetch does not decode are left alone', async () => {
    const plain = encoder.encode('hello')
    for (const encoding of ['identity', 'compress', 'gzip, custom', 'gzip,gzip,gzip,gzip,gzip,gzip']) {
      expect(encodingOf(await toOutgoing(new Response(slow([plain], 'bytes'), { headers: { 'content-encoding': encoding } }), false)), encoding).toBe(encoding)
    }
  })

  it('a stream that rejects before its first bytes rejects the conversion', async () => {
    const failing = new ReadableStream({
      async pull() {
        await new Promise((r) => setTimeout(r, 5))
        throw new Error('broke')
      },
    })
    await expect(toOutgoing(new Response(failing, { headers: { 'content-encoding': 'gzip' } }), false)).rejects.toThrow('broke')
  })
})
