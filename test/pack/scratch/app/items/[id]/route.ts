// GET/POST /items/:id: a TypeScript route file as users write them (types, an enum, an
// extensionless import), served from the installed tarballs.
import { NextResponse, type NextRequest } from '@routeware/core/server'
import { Kind, label } from '../../_lib/kinds'

type Context = { params: Promise<{ id: string }> }

export async function GET(request: NextRequest, { params }: Context) {
  const { id } = await params
  return NextResponse.json({ id, kind: label(Kind.Item), q: request.nextUrl.searchParams.get('q') })
}

export async function POST(request: Request, { params }: Context) {
  const { id } = await params
  const body = (await request.json()) as { name: string }
  return Response.json({ id, name: body.name }, { status: 201 })
}
