/** `routeware routes <dir> [--json]`: print the route table, or the refusal a bad tree gets. */
import { findInstrumentation, importInstrumentation } from '../lifecycle/instrumentation.js'
import { createProductionLoader } from '../load/import-route.js'
import { loadTable } from '../load/load-table.js'
import type { Logger } from '../options.js'
import { parseCommandArgs } from './parse-command-args.js'
import { serializeRouteJson, serializeRouteTable, toRouteRows } from './route-table.js'
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
 * server refuses it), but its `register()` is not called: listing routes starts no SDK.
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
  const table = await loadTable({ dir, dev: false, logger: stderrLogger }, createProductionLoader(dir))
  const rows = toRouteRows(table.routes)
  process.stdout.write(values.json ? serializeRouteJson(rows) : serializeRouteTable(rows))
  return 0
}
