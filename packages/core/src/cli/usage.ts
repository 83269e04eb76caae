/** The CLI's help texts, its usage error (exit 2) and the reading of `<dir>`. */
import { stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Bad usage: an unknown command or option, a missing or wrong `<dir>`. Exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help the message points to. */
    readonly command?: Command,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Help for the whole CLI and for each command. */
export const HELP = {
  main: `Usage: routeware <command> [options]

Commands:
  routes <dir>     Print the route table of an app directory, or why the tree is refused
  typegen <dir>    Write the RouteContext declarations for the routes of an app directory
  help [command]   Show help for a command

Options:
  -h, --help       Show help
  -v, --version    Show the version

Exit codes: 0 ok, 1 refused tree or a route file that fails to load, 2 bad usage.
`,
  routes: `Usage: routeware routes <dir> [--json]

Print every route of <dir> in matching order (static, [param], [...catchAll], [[...optional]]):
its URL path, the methods it exports, its segment config (dynamic, revalidate, runtime, ...)
and its file. Route files are loaded, as a production server loads them, to read their exports.
What the server refuses (a tree Next.js refuses, route files that fail to load, an invalid
segment config) prints the server's message and the files involved, and exits 1.

<dir> is the app directory: absolute, a file: URL, or relative to the working directory.

Options:
  --json           Print the table as JSON
  -h, --help       Show this help
`,
  typegen: `Usage: routeware typegen <dir> [--out <file>]

Write a declaration file that makes RouteContext<'/users/[id]'> global and limits its literal
to the routes of <dir> (a typo is a type error), as next typegen does. Route files are read
from their folder names only, never loaded.

<dir> is the app directory: absolute, a file: URL, or relative to the working directory.

Options:
  -o, --out <file>  Where to write (default: routeware-env.d.ts beside <dir>)
  -h, --help        Show this help
`,
} as const

/** A command name the CLI knows. */
export type Command = Exclude<keyof typeof HELP, 'main'>

/** True for `routes` and `typegen`. */
export function isCommand(name: string | undefined): name is Command {
  return name === 'routes' || name === 'typegen'
}

/** The absolute path of `<dir>` (as the `dir` option reads it); a usage error unless it is a directory. */
export async function resolveAppDir(input: string | undefined, command: Command): Promise<string> {
  if (input === undefined || input === '') throw new UsageError(`Missing <dir>: pass the app directory, e.g. routeware ${command} ./app`, command)
  let dir: string
  try {
    dir = input.startsWith('file:') ? fileURLToPath(input) : isAbsolute(input) ? input : resolve(process.cwd(), input)
  } catch {
    throw new UsageError(`${input} is not a valid file: URL.`, command)
  }
  const info = await stat(dir).catch(() => undefined)
  if (!info) throw new UsageError(`The app directory ${dir} does not exist.`, command)
  if (!info.isDirectory()) throw new UsageError(`The app directory ${dir} is not a directory. Pass the folder that holds your route files.`, command)
  return dir
}
