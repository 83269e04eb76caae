/** `routeware routes <dir> [--json]`: print the route table, or the refusal a bad tree gets. */
import { findInstrumentation, importInstrumentation } from '../lifecycle/instrumentation.js'
import { createProductionLoader } from '../load/import-route.js'
import { loadProxy } from '../load/load-proxy.js'
import { loadTable } from '../load/load-table.js'
import type { Logger } from '../options.js'
import { parseCommandArgs } from './parse-command-args.js'
import { serializeProxy, serializeRouteJson, serializeRouteTable, toProxyRow, toRouteRows } from './route-table.js'
import { HELP, resolveAppDir } from './usage.js'

// Everything but the table goes to stderr, so `--json` output stays parseable.
const stderrLogger: Logger = {
  error: (...args) => console.error(...args),
  warn: (...args) => console.error(...args),
  info: (...args) => console.error(...args),
}

/**
 * Run the command; returns the exit code. The tree is loaded as a production server loads it (same
 * pipeline, same loader), so what the server refuses is thrown here as the same `RoutewareError`.
 * The instrumentation file beside it is imported too (one that fails to load is refused, as the
 * server refuses it), but its `register()` is not called: listing routes starts no SDK. The proxy
 * file and its matchers are printed above the table.
 */
export async function runRoutes(args: string[]): Promise<number> {
  const { values, dir: input } = parseCommandArgs('routes', args, { json: { type: 'boolean' } })
  if (values.help) {
    process.stdout.write(HELP.routes)
    return 0
  }
  const dir = await resolveAppDir(input, 'routes')
  const instrumentation = await findInstrumentation({ dir, instrumentation: undefined })
  if (instrumentation !== undefined) await importInstrumentation(instrumentation, dir)
  const loader = createProductionLoader(dir)
  const table = await loadTable({ dir, dev: false, logger: stderrLogger }, loader)
  // The proxy file beside it, loaded as the server loads it (a refused one is refused here too).
  const proxy = await loadProxy({ dir, proxy: undefined, logger: stderrLogger }, loader)
  const rows = toRouteRows(table.routes)
  const proxyRow = proxy && toProxyRow(proxy, dir)
  process.stdout.write(values.json ? serializeRouteJson(rows, proxyRow) : (proxyRow ? serializeProxy(proxyRow) : '') + serializeRouteTable(rows))
  return 0
}
