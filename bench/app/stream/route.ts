/** `GET /stream`: 100 chunks of 1 KB from a ReadableStream (chunked, no content-length). */
const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`)

export function GET(): Response {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(chunk)
      if (++sent === 100) controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
}
