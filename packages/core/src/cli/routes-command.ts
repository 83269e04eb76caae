/** `routeware routes <dir> [--json]`: print the route table, or the refusal a bad tree gets. */
import type { Logger } from '../options.js'
import { parseCommandArgs } from './parse-command-args.js'
import { readRouteTree } from './read-tree.js'
import { loadRouteRows, serializeRouteJson, serializeRouteTable } from './route-table.js'
import { HELP, resolveAppDir } from './usage.js'

// Everything but the table goes to stderr, so `--json` output stays parseable.
const stderrLogger: Logger = {
  error: (...args) => console.error(...args),
  warn: (...args) => console.error(...args),
  info: (...args) => console.error(...args),
}

/** Run the command; returns the exit code. Refusals and load errors are thrown as `RoutewareError`. */
export async function runRoutes(args: string[]): Promise<number> {
  const { values, dir: input } = parseCommandArgs('routes', args, { json: { type: 'boolean' } })
  if (values.help) {
    process.stdout.write(HELP.routes)
    return 0
  }
  const dir = await resolveAppDir(input, 'routes')
  const rows = await loadRouteRows(dir, await readRouteTree(dir), stderrLogger)
  process.stdout.write(values.json ? serializeRouteJson(rows) : serializeRouteTable(rows))
  return 0
}
