// GET /api/cors -> readable from any origin; OPTIONS answers the CORS preflight with 204.
const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Max-Age': '86400',
}

export async function GET() {
  return Response.json({ message: 'Hello from a CORS-enabled route' }, { headers: { 'Access-Control-Allow-Origin': '*' } })
}

export async function OPTIONS() {
  return new Response(null, { status: 204, headers: corsHeaders })
}
