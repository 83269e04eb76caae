/** `GET /stream`: ten 1 KB chunks from a ReadableStream (chunked, no content-length). */
const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`)

export function GET(): Response {
  let sent = 0
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk)
        if (++sent === 10) controller.close()
      },
    }),
    { headers: { 'content-type': 'text/plain; charset=utf-8' } },
  )
}
