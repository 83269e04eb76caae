/**
 * Dev mode: watch the app directory and the app modules its routes import; call back once per
 * burst of changes. `fs.watch` gives the speed, a one-second poll of the route files' and
 * modules' modification times gives the certainty (Node 20's recursive watcher on Linux can miss
 * events on folders created or renamed after it started).
 */
import { watch, type FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { isAbsolute, relative } from 'node:path'
import { scanRoutes } from '../tree/scan.js'

/** A running watcher. */
export interface TreeWatcher {
  /** Watch these files too (app modules, also outside `dir`, that route files import). */
  watchFiles(files: readonly string[]): void
  close(): void
}

/** Watch `dir` recursively (and extra files); `onChange` runs 50 ms after the last event of a burst. */
export function watchTree(dir: string, onChange: () => void, pollMs = 1000): TreeWatcher {
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const fire = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (closed) return
      void signature().then((s) => {
        last = s
        onChange()
      })
    }, 50)
  }
  const root = watch(dir, { recursive: true }, fire)
  root.on('error', () => {})
  const extra = new Map<string, FSWatcher>()
  let tracked: readonly string[] = []

  const signature = async (): Promise<string> => {
    const files = [...new Set([...(await scanRoutes(dir).catch(() => [])).map((f) => f.file), ...tracked])]
    const parts = await Promise.all(files.map(async (file) => `${file}:${(await stat(file).catch(() => undefined))?.mtimeMs ?? 'gone'}`))
    return parts.sort().join('\n')
  }
  let last: string | undefined
  void signature().then((s) => (last ??= s))
  let polling = false
  const poll = setInterval(() => {
    if (polling || closed) return
    polling = true
    void signature()
      .then((s) => {
        if (last !== undefined && s !== last && !closed) fire()
        last ??= s
      })
      .finally(() => (polling = false))
  }, pollMs)
  poll.unref()

  return {
    watchFiles(files) {
      tracked = files
      const wanted = new Set(
        files.filter((file) => {
          const rel = relative(dir, file)
          return rel.startsWith('..') || isAbsolute(rel)
        }),
      )
      for (const [file, watcher] of extra) {
        if (!wanted.has(file)) {
          watcher.close()
          extra.delete(file)
        }
      }
      for (const file of wanted) {
        if (extra.has(file)) continue
        try {
          const watcher = watch(file, fire)
          watcher.on('error', () => {})
          extra.set(file, watcher)
        } catch {
          // Gone already: the next reload will not list it.
        }
      }
    },
    close() {
      closed = true
      clearTimeout(timer)
      clearInterval(poll)
      root.close()
      for (const watcher of extra.values()) watcher.close()
      extra.clear()
    },
  }
}
