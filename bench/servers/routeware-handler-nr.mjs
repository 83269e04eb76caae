/** `createHandler` from `@routeware/core` on node:http serving bench/app-next-response (`NextResponse.json`): issue 11's listener goal with `NextResponse`. */
import { createServer } from 'node:http'
import { createHandler } from '@routeware/core'
import { nextResponseAppDir } from './_dir.mjs'
import { listen } from './_listen.mjs'

/** @param {number} port */
export async function start(port) {
  const handle = await createHandler({ dir: nextResponseAppDir })
  return listen(createServer(handle), port)
}
