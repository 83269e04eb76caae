/** `POST /echo`: parse the JSON body with `request.json()` and answer it back as JSON. */
export async function POST(request: Request): Promise<Response> {
  return Response.json(await request.json())
}
