/** `GET /`: a static text route. */
export function GET(): Response {
  return new Response('ok')
}
