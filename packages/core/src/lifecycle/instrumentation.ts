/**
 * `instrumentation.ts`: found beside the app directory (Next keeps it beside `app/`, in the
 * project root or `src/`), or where the `instrumentation` option says; loaded like a route file;
 * `register()` awaited once per file and process, before the first request is served, with
 * `process.env.NEXT_RUNTIME` set to `'nodejs'` when unset (Sentry's template imports its server
 * config only under that check). Its `onRequestError` is what the router reports handler errors to.
 */
import { dirname, join } from 'node:path'
import { invalidOption, routewareError, type RoutewareError } from '../errors.js'
import { isFile, reasonOf } from '../load/beside-file.js'
import { createProductionLoader } from '../load/import-route.js'
import type { OnRequestError } from './lifecycle.js'

/** Where Routeware looks, in this order (Next's file conventions for `instrumentation`). */
export const INSTRUMENTATION_EXTENSIONS = ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'] as const

/** What loading the instrumentation file gave: its `onRequestError`, if it exports one. */
export interface LoadedInstrumentation {
  file: string
  onRequestError: OnRequestError | undefined
}

/** What to look for: the app directory, and the option (`undefined`: beside the app directory). */
export interface InstrumentationOptions {
  readonly dir: string
  readonly instrumentation: string | false | undefined
}

/** The instrumentation file to load, or `undefined` when there is none (or `instrumentation: false`). */
export async function findInstrumentation(options: InstrumentationOptions): Promise<string | undefined> {
  const { instrumentation } = options
  if (instrumentation === false) return undefined
  if (instrumentation !== undefined) {
    if (!(await isFile(instrumentation))) {
      throw invalidOption('instrumentation', `false or the path of your instrumentation file: ${instrumentation} does not exist or is not a file`)
    }
    return instrumentation
  }
  const folder = dirname(options.dir)
  const candidates = INSTRUMENTATION_EXTENSIONS.map((ext) => join(folder, `instrumentation.${ext}`))
  const found = (await Promise.all(candidates.map(async (file) => ((await isFile(file)) ? file : undefined)))).filter((file) => file !== undefined)
  if (found.length > 1) {
    throw instrumentationError(found[0]!, `is one of ${found.length} beside the app directory: ${found.join(', ')}`, 'Keep one, or name the one to load with the `instrumentation` option.', found)
  }
  return found[0]
}

/** Registrations by file: `register()` runs once per process, whichever router asks first. */
const registrations = new Map<string, Promise<LoadedInstrumentation>>()

/**
 * Load the instrumentation file and await its `register()`, once per file. Rejects with
 * `ROUTEWARE_INSTRUMENTATION_FAILED`, naming the file, when it fails to load or `register()` throws.
 */
export async function registerInstrumentation(options: InstrumentationOptions): Promise<LoadedInstrumentation | undefined> {
  const file = await findInstrumentation(options)
  if (file === undefined) return undefined
  let registration = registrations.get(file)
  if (registration === undefined) {
    registration = register(file, options.dir)
    registrations.set(file, registration)
  }
  return registration
}

async function register(file: string, dir: string): Promise<LoadedInstrumentation> {
  const mod = await importInstrumentation(file, dir)
  if (typeof mod.register === 'function') {
    try {
      await (mod.register as () => unknown)()
    } catch (error) {
      throw instrumentationError(file, `threw in register(): ${reasonOf(error)}`, FIX, [file], error)
    }
  }
  return { file, onRequestError: typeof mod.onRequestError === 'function' ? (mod.onRequestError as OnRequestError) : undefined }
}

/**
 * Import the instrumentation file as route files are imported (TypeScript through core's
 * loader), with `NEXT_RUNTIME` set first. `routeware routes` does this much, and no `register()`.
 */
export async function importInstrumentation(file: string, dir: string): Promise<Record<string, unknown>> {
  process.env.NEXT_RUNTIME ??= 'nodejs'
  try {
    return await createProductionLoader(dir).load(file)
  } catch (error) {
    throw instrumentationError(file, `failed to load: ${reasonOf(error)}`, FIX, [file], error)
  }
}

const FIX = 'Fix the error in that file, or start without it: `instrumentation: false`.'

function instrumentationError(file: string, problem: string, fix: string, files: readonly string[], cause?: unknown): RoutewareError {
  return routewareError('ROUTEWARE_INSTRUMENTATION_FAILED', { file, problem, fix }, cause === undefined ? { files } : { files, cause })
}
