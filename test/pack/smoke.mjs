#!/usr/bin/env node
// The packages as npm delivers them (issue #12): `npm pack` each one, check the tarballs with
// publint and attw, install them into a scratch app outside the workspace (from the npm registry
// only), then serve a .ts route tree through Express 5, Express 4, Fastify and createHandler's
// listener under plain node and under tsx, and run the installed `routeware` bin.
//   node test/pack/smoke.mjs [--node /path/to/node ...]   (packages built first: npx turbo run build)
// Every extra --node runs the scratch app's checks again on that Node binary.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('../../', import.meta.url))
const packages = ['core', 'express', 'fastify']
const nodes = [process.execPath]
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--node' && process.argv[i + 1]) nodes.push(process.argv[++i])
  else throw new Error(`Usage: node test/pack/smoke.mjs [--node /path/to/node ...] (unknown argument ${process.argv[i]})`)
}
const started = Date.now()
const windows = process.platform === 'win32'

let passed = 0
let failed = 0
function report(ok, title, detail = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok' : 'not ok'} - ${title}${detail && !ok ? `\n${detail.trim().replace(/^/gm, '    ')}` : ''}`)
}

/** Run a command to completion (bounded), output captured. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000, shell: windows, ...options, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env } })
  return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` }
}

/** The entries of a .tgz: name -> mode. npm pack writes plain ustar, so the 512-byte headers are enough. */
function tarModes(file) {
  const tar = gunzipSync(readFileSync(file))
  const modes = new Map()
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((byte) => byte === 0)) break
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '')
    const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/')
    modes.set(name, parseInt(field(100, 8), 8))
    offset += 512 + Math.ceil(parseInt(field(124, 12).trim() || '0', 8) / 512) * 512
  }
  return modes
}

const work = mkdtempSync(join(tmpdir(), 'routeware-pack-'))
const tarballs = join(work, 'tarballs')
const scratch = join(work, 'app')
mkdirSync(tarballs)
try {
  // 1. Pack: the same files `npm publish` would upload (`files`, `bin`, package.json).
  for (const name of packages) {
    const dir = join(root, 'packages', name)
    if (!existsSync(join(dir, 'dist'))) throw new Error(`packages/${name}/dist is missing: build first (npx turbo run build).`)
    const packed = run('npm', ['pack', '--pack-destination', tarballs, '--silent'], { cwd: dir })
    report(packed.code === 0, `npm pack @routeware/${name}`, packed.output)
  }
  const files = readdirSync(tarballs).filter((file) => file.endsWith('.tgz')).map((file) => join(tarballs, file))
  if (files.length !== packages.length) throw new Error(`expected ${packages.length} tarballs in ${tarballs}, found ${files.length}`)

  // 2. The CLI is executable in the tarball itself, not only once npm has linked it.
  const coreModes = tarModes(files.find((file) => file.includes('routeware-core-')))
  for (const entry of ['package/dist/cli/main.js', 'package/bin/routeware.js']) {
    const mode = coreModes.get(entry)
    report(mode !== undefined && (mode & 0o111) === 0o111, `@routeware/core tarball: ${entry} is executable`, `mode ${mode?.toString(8) ?? 'missing'}`)
  }

  // 3. publint and attw on each tarball, exactly what would be published. The packages are
  // ESM-only (engines: Node >= 20.19, where require() of ESM works), hence attw's esm-only profile:
  // it leaves out node10 resolution and CommonJS-from-TypeScript, which attw's TypeScript predates.
  const bin = (name) => join(root, 'node_modules', '.bin', windows ? `${name}.cmd` : name)
  for (const file of files) {
    const label = file.slice(tarballs.length + 1)
    const lint = run(bin('publint'), ['run', file, '--strict'])
    report(lint.code === 0, `publint --strict ${label}`, lint.output)
    const types = run(bin('attw'), [file, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii'])
    report(types.code === 0, `attw --profile esm-only ${label}`, types.output)
  }

  // 4. A scratch app outside the workspace, installing the tarballs as a user installs a release.
  cpSync(fileURLToPath(new URL('./scratch/', import.meta.url)), scratch, { recursive: true })
  writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'routeware-pack-smoke', private: true, type: 'module' }, null, 2)}\n`)
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, 'express@5', 'express4@npm:express@4', 'fastify@5', 'tsx'], { cwd: scratch, timeout: 300_000 })
  report(install.code === 0, 'npm install <tarballs> express@5 express4@npm:express@4 fastify@5 tsx (outside the workspace)', install.output)
  if (install.code !== 0) throw new Error('the scratch install failed')
  // The adapters' dependency on @routeware/core must be the tarball, not a second copy from the registry.
  const nested = ['express', 'fastify'].filter((name) => existsSync(join(scratch, 'node_modules', '@routeware', name, 'node_modules', '@routeware', 'core')))
  report(nested.length === 0, 'one @routeware/core in the scratch app (the tarball)', `nested copies under: ${nested.join(', ')}`)

  // 5. The installed bin, run as a shell runs it (execute bit, shebang, bin link).
  const cli = run(join(scratch, 'node_modules', '.bin', windows ? 'routeware.cmd' : 'routeware'), ['routes', 'app'], { cwd: scratch })
  report(cli.code === 0 && cli.output.includes('/items/[id]') && cli.output.includes('/hello'), 'node_modules/.bin/routeware routes app', cli.output)

  // 6. The four targets, over real HTTP, under plain node and under tsx, on every Node asked for.
  const tsxCli = join(scratch, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  for (const node of nodes) {
    for (const [how, args] of [['node', ['check.mjs']], ['tsx', [tsxCli, 'check.mjs', '--tsx']]]) {
      const checked = run(node, args, { cwd: scratch, timeout: 120_000, shell: false })
      const version = run(node, ['--version'], { shell: false }).output.trim()
      process.stdout.write(checked.output.replace(/^(?=.)/gm, '  '))
      report(checked.code === 0, `scratch app under ${how} on Node ${version}: Express 5, Express 4, Fastify, createHandler`, checked.code === 0 ? '' : `exit ${checked.code}`)
    }
  }
} catch (error) {
  report(false, 'pack smoke', error instanceof Error ? error.stack : String(error))
} finally {
  rmSync(work, { recursive: true, force: true })
}

console.log(`pack smoke: ${Math.round((Date.now() - started) / 1000)} s`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
