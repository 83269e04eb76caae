// GET /api/stream -> text/plain, sent chunk by chunk as it is produced (chunked encoding).
const encoder = new TextEncoder()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function GET() {
  const chunks = ['one\n', 'two\n', 'three\n']
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0) await sleep(200)
        controller.enqueue(encoder.encode(chunk))
      }
      controller.close()
    },
  })
  return new Response(stream, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
