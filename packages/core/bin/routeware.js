#!/usr/bin/env node
// The `routeware` bin. A committed file rather than dist/cli/main.js itself: npm links a bin only
// when its file exists at install time, and in a fresh clone of the monorepo dist/ comes later.
import { existsSync } from 'node:fs'

const main = new URL('../dist/cli/main.js', import.meta.url)
if (!existsSync(main)) {
  process.stderr.write('routeware: @routeware/core is not built (dist/cli/main.js is missing): run `npx turbo run build` at the repository root.\n')
  process.exit(1)
}
await import(main.href)
