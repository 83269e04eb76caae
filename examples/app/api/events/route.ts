// GET /api/events -> server-sent events: `data: {"n":1}` ... `data: {"n":5}`, 100 ms apart, then the
// stream closes. When the client hangs up, request.signal aborts and the stream's cancel() runs:
// either way the timer is cleared and nothing more is produced.
const encoder = new TextEncoder()

export async function GET(request: Request) {
  const total = 5
  let timer: ReturnType<typeof setTimeout> | undefined
  let done = false
  const stop = () => {
    done = true
    clearTimeout(timer)
  }

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let n = 0
      const onAbort = () => {
        stop()
        try {
          controller.close()
        } catch {
          // already closed or cancelled
        }
      }
      request.signal.addEventListener('abort', onAbort, { once: true })
      const tick = () => {
        if (done) return
        n++
        controller.enqueue(encoder.encode(`data: ${JSON.stringify({ n })}\n\n`))
        if (n < total) {
          timer = setTimeout(tick, 100)
        } else {
          stop()
          request.signal.removeEventListener('abort', onAbort)
          controller.close()
        }
      }
      if (request.signal.aborted) onAbort()
      else tick()
    },
    cancel() {
      stop()
    },
  })

  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
    },
  })
}
