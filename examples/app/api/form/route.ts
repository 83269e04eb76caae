// POST /api/form, urlencoded or multipart -> the fields as JSON; files are described, not echoed.
export async function POST(request: Request) {
  const type = request.headers.get('content-type') ?? ''
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return Response.json({ error: 'Send application/x-www-form-urlencoded or multipart/form-data' }, { status: 400 })
  }
  const fields: Record<string, unknown> = {}
  for (const [name, value] of form) {
    fields[name] = typeof value === 'string' ? value : { filename: value.name, type: value.type, size: value.size, text: await value.text() }
  }
  return Response.json({ contentType: type.split(';')[0], fields })
}
