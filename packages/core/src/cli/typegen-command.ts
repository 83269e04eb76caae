/** `routeware typegen <dir> [--out <file>]`: write the global `RouteContext` declarations. */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { parseCommandArgs } from './parse-command-args.js'
import { readRouteTree } from '../load/read-tree.js'
import { serializeRouteTypes } from './serialize-route-types.js'
import { HELP, resolveAppDir } from './usage.js'

/** The default output: beside the app directory, as Next's `next-env.d.ts`. */
export const DEFAULT_TYPES_FILE = 'routeware-env.d.ts'

/** Run the command; returns the exit code. A refused tree is thrown as `RoutewareError`. */
export async function runTypegen(args: string[]): Promise<number> {
  const { values, dir: input } = parseCommandArgs('typegen', args, { out: { type: 'string', short: 'o' } })
  if (values.help) {
    process.stdout.write(HELP.typegen)
    return 0
  }
  const dir = await resolveAppDir(input, 'typegen')
  // Folder names are all typegen needs: no route file is imported.
  const routes = await readRouteTree(dir)
  const out = typeof values.out === 'string' ? resolve(process.cwd(), values.out) : resolve(dir, '..', DEFAULT_TYPES_FILE)
  const text = serializeRouteTypes(routes)
  const shown = relative(process.cwd(), out) || out
  const count = `${routes.length} route${routes.length === 1 ? '' : 's'}`
  // An unchanged file is left alone, so watchers and incremental builds see no edit.
  if ((await readFile(out, 'utf8').catch(() => undefined)) === text) {
    process.stdout.write(`${shown} is up to date (${count})\n`)
    return 0
  }
  await mkdir(dirname(out), { recursive: true })
  await writeFile(out, text)
  process.stdout.write(`Wrote ${shown} (${count})\n`)
  return 0
}
