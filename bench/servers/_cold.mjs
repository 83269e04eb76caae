/**
 * Cold-start child: `node servers/_cold.mjs handler <dir>` times `createHandler({ dir })` in this
 * fresh process (scan + load every route file + build the router); `node servers/_cold.mjs scan
 * <dir>` times the scan alone, as fast-glob with core's pattern and options (core does not expose
 * its scan time). Prints one JSON line.
 */
import { createRequire } from 'node:module'

const [mode, dir] = process.argv.slice(2)
if (mode === 'handler') {
  const { createHandler } = await import('@routeware/core')
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const handle = await createHandler({ dir })
  const t1 = performance.now()
  const cpu = process.cpuUsage(cpu0)
  const response = await handle(new Request('http://127.0.0.1/users/123'))
  const body = await response.text()
  if (body !== '{"id":"123"}') throw new Error(`cold-start tree answered ${response.status} ${body}`)
  // performance.now() counts from the process's time origin, so t1 is start-up to handler ready.
  // CPU time of the call (all threads: user + system), much less sensitive than wall time to a busy machine.
  console.log(JSON.stringify({ createHandlerMs: t1 - t0, createHandlerCpuMs: (cpu.user + cpu.system) / 1000, processReadyMs: t1 }))
} else if (mode === 'scan') {
  // fast-glob as core resolves it, with core's pattern and options, synchronously as core walks (packages/core/src/tree/scan.ts).
  const fg = createRequire(createRequire(import.meta.url).resolve('@routeware/core'))('fast-glob')
  const t0 = performance.now()
  const files = fg.sync('**/route.{ts,mts,cts,js,mjs,cjs}', { cwd: dir, onlyFiles: true, dot: true, followSymbolicLinks: true, ignore: ['**/node_modules/**'] })
  files.sort()
  const t1 = performance.now()
  console.log(JSON.stringify({ scanMs: t1 - t0, files: files.length }))
} else {
  console.error('usage: node servers/_cold.mjs handler|scan <dir>')
  process.exit(2)
}
