#!/usr/bin/env node
/** The `routeware` bin: `routes <dir>`, `typegen <dir>`, `help`, `--version`. Exits 0, 1 (refused or broken tree), 2 (bad usage). */
import { readFileSync } from 'node:fs'
import { isRoutewareError } from '../errors.js'
import { runRoutes } from './routes-command.js'
import { runTypegen } from './typegen-command.js'
import { HELP, isCommand, UsageError } from './usage.js'

const COMMANDS = { routes: runRoutes, typegen: runTypegen }

/** Run the CLI on `argv` (without node and the script); resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  try {
    if (first === undefined) throw new UsageError('Missing command.')
    if (first === '-h' || first === '--help') return print(HELP.main)
    if (first === '-v' || first === '--version') return print(`${version()}\n`)
    if (first === 'help') {
      const topic = rest[0]
      if (topic === undefined) return print(HELP.main)
      if (rest.length > 1) throw new UsageError(`help takes one command, got: ${rest.join(' ')}`)
      if (!isCommand(topic)) throw new UsageError(`Unknown command: ${topic}`)
      return print(HELP[topic])
    }
    if (!isCommand(first)) throw new UsageError(first.startsWith('-') ? `Unknown option: ${first}` : `Unknown command: ${first}`)
    return await COMMANDS[first](rest)
  } catch (error) {
    if (error instanceof UsageError) {
      // No command at all: the overview helps most. Otherwise the error, and where the help is.
      if (first === undefined) process.stderr.write(`routeware: ${error.message}\n\n${HELP.main}`)
      else process.stderr.write(`routeware: ${error.message}\nRun "routeware ${error.command ?? ''}${error.command ? ' ' : ''}--help" for usage.\n`)
      return 2
    }
    // A refused tree or a route file that fails to load: the message names the files.
    process.stderr.write(`${isRoutewareError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return 1
  }
}

function print(text: string): number {
  process.stdout.write(text)
  return 0
}

function version(): string {
  // dist/cli/main.js and src/cli/main.ts both sit two folders below package.json.
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

const code = await main(process.argv.slice(2))
// Route files may leave handles open (a database pool, a timer): exit once the output is flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
