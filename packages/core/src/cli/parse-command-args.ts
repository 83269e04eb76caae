/** Read a command's arguments with node:util `parseArgs`: one `<dir>`, its options, `--help`. */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { type Command, UsageError } from './usage.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** The parsed options and the `<dir>` positional; unknown options and extra arguments are usage errors. */
export function parseCommandArgs(command: Command, args: string[], options: Options): { values: Record<string, string | boolean | undefined>; dir: string | undefined } {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    // parseArgs' messages say what is wrong ("Unknown option '--jsn'"); the help says what is right.
    throw new UsageError(error instanceof Error ? error.message : String(error), command)
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (!values.help && parsed.positionals.length > 1) {
    throw new UsageError(`Expected one <dir>, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`, command)
  }
  return { values, dir: parsed.positionals[0] }
}
