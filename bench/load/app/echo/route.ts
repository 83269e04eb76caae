/** `POST /echo`: reads the JSON body and answers it back. */
export async function POST(request: Request): Promise<Response> {
  return Response.json(await request.json())
}
