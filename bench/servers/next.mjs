/**
 * Next.js 16 `next start` serving bench/app's route files (copied, `next/server` imports), built
 * into bench/.gen/next-app on first use. It runs `nextStart`, the function behind the
 * `next start` CLI command, in this process, so the runner measures one process's CPU.
 */
import { createRequire } from 'node:module'
import { ensureNextBuild, nextAppDir } from './_next-app.mjs'

const require = createRequire(import.meta.url)

/** @param {number} port */
export async function start(port) {
  ensureNextBuild()
  process.env.NODE_ENV = 'production'
  process.env.NEXT_TELEMETRY_DISABLED = '1'
  // Next prints its banner on stdout, where the runner waits for `ready <port>`: silence it.
  console.log = () => {}
  const { nextStart } = require('next/dist/cli/next-start.js')
  await nextStart({ port, hostname: '127.0.0.1' }, nextAppDir)
  // startServer stores the port it listens on (port 0 picks a free one) in process.env.PORT.
  // Closing: Next handles SIGTERM itself (closes its server, then exits).
  return { port: Number(process.env.PORT), close: async () => {} }
}
