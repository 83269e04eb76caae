/** `POST /echo` answered with `NextResponse.json`. */
import { NextResponse } from '@routeware/core/server'

export async function POST(request: Request): Promise<Response> {
  return NextResponse.json(await request.json())
}
