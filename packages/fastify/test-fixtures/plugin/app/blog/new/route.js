// POST only: a GET of /blog/new is this file's 405, never /blog/[slug] (Next matches the path, then the method).
export const POST = () => new Response('created', { status: 201 })
