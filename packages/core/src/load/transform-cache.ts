/**
 * The on-disk cache of transformed modules for one app directory: one JSON file, read once and
 * written once after the route files loaded, instead of jiti's file per module (1,000 small
 * synchronous writes cost more than transforming the 1,000 files again). Entries are keyed by
 * path and checked against a hash of the source, so an edited file is transformed again; the file
 * is dropped whole when the transform changes (`transformVersion()`: this code's id, oxc-transform's
 * and acorn's versions); a run writes back only the entries it used, so deleted files drop out.
 *
 * Where: `<dir>/node_modules/.cache/routeware/` when that `node_modules` exists (as jiti would),
 * else `routeware-<uid>/` in the OS temp dir, created private to the user (the cache holds code
 * that gets evaluated). `JITI_FS_CACHE=false` turns it off; `JITI_REBUILD_FS_CACHE=true`
 * ignores what is stored (a first start), as both do for jiti.
 */
import { createHash, hash as cryptoHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JSX_FILE, jsxImportSource, transformForJiti, transformVersion, type TransformInput } from './transform.js'

interface Entry {
  /** Hash of the source. */
  h: string
  /** The transformed module. */
  c: string
}

export interface TransformCache {
  /** jiti's `transform`, through the cache. */
  transform(input: TransformInput): { code: string; error?: unknown }
  /** Write what changed (once the route files have loaded). */
  flush(): void
}

/** sha1, base64url: `crypto.hash` (one call, Node 20.12+) where there is one. */
const hash = (text: string): string =>
  typeof cryptoHash === 'function' ? cryptoHash('sha1', text, 'base64url') : createHash('sha1').update(text).digest('base64url')

/** A cache for the app directory `dir`, or a pass-through when none can be had. */
export function createTransformCache(dir: string): TransformCache {
  const file = cacheFile(dir)
  if (!file) return { transform: transformForJiti, flush() {} }
  const id = transformVersion()
  let stored: Record<string, Entry> = {}
  if (!isTrue(process.env.JITI_REBUILD_FS_CACHE)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; entries?: Record<string, Entry> }
      if (parsed.id === id && parsed.entries) stored = parsed.entries
    } catch {
      // none yet, or unreadable: start empty
    }
  }
  const used: Record<string, Entry> = {}
  let dirty = false
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!dirty) return
    dirty = false
    try {
      const temp = `${file}.${process.pid}.tmp`
      writeFileSync(temp, JSON.stringify({ id, entries: used }))
      renameSync(temp, file)
    } catch {
      // a read-only or full disk: the next start transforms again
    }
  }
  let settled = false
  return {
    transform(input) {
      const key = `${input.async === false ? 'sync' : 'async'}:${input.filename ?? ''}`
      // A JSX file's output also depends on its runtime (React's once the app installs React).
      const h = hash(input.filename && JSX_FILE.test(input.filename) ? `${jsxImportSource(input.filename)}\0${input.source}` : input.source)
      const hit = stored[key]
      if (hit && hit.h === h) {
        used[key] = hit
        return { code: hit.c }
      }
      const result = transformForJiti(input)
      if (result.error === undefined && input.filename) {
        used[key] = stored[key] = { h, c: result.code }
        dirty = true
        // A module first loaded after start-up (a dynamic import) is written a little later.
        if (settled) (timer ??= setTimeout(flush, 1000)).unref()
      }
      return result
    },
    flush() {
      settled = true
      flush()
    },
  }
}

function cacheFile(dir: string): string | undefined {
  const env = process.env.JITI_FS_CACHE ?? process.env.JITI_CACHE
  if (env === 'false' || env === '0') return undefined
  const modules = join(dir, 'node_modules')
  const uid = process.getuid?.()
  const base = existsSync(modules) ? join(modules, '.cache', 'routeware') : join(tmpdir(), `routeware-${uid ?? 'user'}`)
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 })
    // Shared temp dirs: only a directory of our own, that no one else can write to.
    const info = statSync(base)
    if (uid !== undefined && (info.uid !== uid || (info.mode & 0o022) !== 0)) return undefined
  } catch {
    return undefined
  }
  return join(base, `${hash(dir).slice(0, 16)}.json`)
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1'
}
