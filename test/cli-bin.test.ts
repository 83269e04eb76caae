/** issue #12: the `routeware` bin runs as a shell runs it, straight after a build, in a fresh clone too. */
import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const core = fileURLToPath(new URL('../packages/core/', import.meta.url))
const manifest = JSON.parse(readFileSync(`${core}package.json`, 'utf8')) as { version: string; bin: Record<string, string>; files: string[] }
const executable = (file: string) => (statSync(file).mode & 0o111) === 0o111

describe.skipIf(process.platform === 'win32')('issue #12: the routeware bin', () => {
  it('the build leaves dist/cli/main.js executable (tsc writes 0644; npm sets the bit only at install time)', () => {
    expect(executable(`${core}dist/cli/main.js`)).toBe(true)
  })

  it('the bin is a committed, executable file that npm can link at install time, before dist/ exists, and ships in the package', () => {
    const bin = manifest.bin.routeware!
    expect(bin.startsWith('./dist/')).toBe(false)
    expect(manifest.files).toContain(bin.replace(/^\.\//, '').split('/')[0])
    expect(executable(`${core}${bin}`)).toBe(true)
  })

  it('runs without `node` in front of it', async () => {
    const { stdout } = await promisify(execFile)(`${core}${manifest.bin.routeware}`, ['--version'])
    expect(stdout).toBe(`${manifest.version}\n`)
  })
})
