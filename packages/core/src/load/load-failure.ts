/** The error a route file that fails to load gets: the file, the reason, and the line to look at. */
import { readFileSync } from 'node:fs'
import { routewareError, type RoutewareError } from '../errors.js'

/** `Failed to load route file <file>: <reason>`, plus where a missing import is written, and the fix. */
export function describeLoadFailure(file: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error)
  const site = missingImportSite(file, error)
  return `Failed to load route file ${file}: ${reason}${site ? `\n  imported at ${site}` : ''}`
}

/** The one error for a set of route files that failed to load. */
export function loadFailure(failures: readonly { file: string; error: unknown }[]): RoutewareError {
  const text = failures.map((f) => describeLoadFailure(f.file, f.error)).join('\n\n')
  return routewareError('ROUTEWARE_ROUTE_LOAD_FAILED', { failures: text }, { files: failures.map((f) => f.file), cause: failures[0]?.error })
}

/**
 * `file:line` of the import that names a module which cannot be found. A syntax error already
 * carries its line (jiti, tsx and Node print `file:line:column`); a missing module does not, so
 * look for the quoted specifier in the importing file (the first of Node's "Require stack" lines,
 * or the route file itself).
 */
function missingImportSite(file: string, error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined
  const message = (error as Error).message
  const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1]
  if (!specifier) return undefined
  const importer = /Require stack:\n- (.+)/.exec(message)?.[1] ?? /imported from (.+)$/m.exec(message)?.[1] ?? file
  let source: string
  try {
    source = readFileSync(importer, 'utf8')
  } catch {
    return undefined
  }
  // Node's ESM error names the resolved path; the source holds what was written, so match its tail.
  const written = specifier.startsWith('/') ? specifier.slice(specifier.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]s$/, '') : specifier
  const lines = source.split('\n')
  const index = lines.findIndex((line) => line.includes(`'${specifier}'`) || line.includes(`"${specifier}"`) || (written !== specifier && line.includes(written)))
  return index === -1 ? undefined : `${importer}:${index + 1}`
}
