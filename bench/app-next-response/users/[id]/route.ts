/** The same route with `NextResponse.json`, which Routeware keeps light (no undici Response, no stream). */
import { NextResponse } from '@routeware/core/server'

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return NextResponse.json({ id })
}
