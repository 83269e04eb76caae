import { missing } from './no-such-module.mjs'

export function GET() {
  return new Response(missing)
}
