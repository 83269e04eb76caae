/**
 * Generated route trees (bench/.gen, gitignored) for the route-count and cold-start scenarios.
 * A tree of `count` routes holds `users/[id]/route.<ext>` (the GET scenario's route) and
 * `count - 1` fillers `s<i % 100>/r<i>/[id]/route.<ext>`, which answer the same way.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const genDir = fileURLToPath(new URL('../.gen', import.meta.url))

const SOURCES = {
  // Plain JavaScript for the throughput trees: 10,000 files load quickly, what is measured is routing.
  js: `export async function GET(_req, { params }) {
  const { id } = await params
  return Response.json({ id })
}
`,
  // The bench/app route as TypeScript, for the cold start (what a real app loads through jiti).
  ts: `export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params
  return Response.json({ id })
}
`,
}

/** The Fastify/Express path of every filler route of a tree of `count`, `:id` style. */
export function fillerPaths(count) {
  const out = []
  for (let i = 0; i < count - 1; i++) out.push(`/s${i % 100}/r${i}/:id`)
  return out
}

/**
 * Write (or reuse) a tree of `count` route files; returns its app directory.
 * @param {number} count
 * @param {{ ext?: 'js' | 'ts', name?: string, fresh?: boolean }} [options] `fresh` rewrites it.
 */
export function generateTree(count, { ext = 'js', name = `tree-${ext}-${count}`, fresh = false } = {}) {
  const root = join(genDir, name)
  const dir = join(root, 'app')
  const marker = join(root, 'complete')
  const expected = `${count} ${ext} v1`
  if (!fresh && existsSync(marker) && readFileSync(marker, 'utf8') === expected) return dir
  rmSync(root, { recursive: true, force: true })
  const source = SOURCES[ext]
  const write = (rel) => {
    mkdirSync(join(dir, rel), { recursive: true })
    writeFileSync(join(dir, rel, `route.${ext}`), source)
  }
  write('users/[id]')
  for (let i = 0; i < count - 1; i++) write(`s${i % 100}/r${i}/[id]`)
  writeFileSync(marker, expected)
  return dir
}
