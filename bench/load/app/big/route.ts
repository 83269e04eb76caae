/** `GET /big?mib=1024`: that many MiB (default 1 GiB) in 64 KiB chunks, pulled as the client reads. */
const CHUNK = new Uint8Array(64 * 1024).fill(120)

export function GET(request: Request): Response {
  const mib = Number(new URL(request.url).searchParams.get('mib') ?? 1024)
  let left = mib * 16
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (left-- > 0) controller.enqueue(CHUNK)
        else controller.close()
      },
    }),
    { headers: { 'content-type': 'application/octet-stream' } },
  )
}
