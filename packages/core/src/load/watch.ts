/** Dev mode: watch the app directory and the app modules its routes import; call back once per burst of changes. */
import { watch, type FSWatcher } from 'node:fs'
import { isAbsolute, relative } from 'node:path'

/** A running watcher. */
export interface TreeWatcher {
  /** Watch these files too (app modules outside `dir` that route files import). */
  watchFiles(files: readonly string[]): void
  close(): void
}

/** Watch `dir` recursively (and extra files); `onChange` runs 50 ms after the last event of a burst. */
export function watchTree(dir: string, onChange: () => void): TreeWatcher {
  let timer: NodeJS.Timeout | undefined
  const fire = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, 50)
  }
  const root = watch(dir, { recursive: true }, fire)
  root.on('error', () => {})
  const extra = new Map<string, FSWatcher>()
  return {
    watchFiles(files) {
      const wanted = new Set(files.filter((file) => {
        const rel = relative(dir, file)
        return rel.startsWith('..') || isAbsolute(rel)
      }))
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
      clearTimeout(timer)
      root.close()
      for (const watcher of extra.values()) watcher.close()
      extra.clear()
    },
  }
}
