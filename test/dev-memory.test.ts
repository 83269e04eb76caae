/** Memory stays bounded across hundreds of dev reloads: old module instances are dropped from the CommonJS cache and collected. */
import { describe, expect, it } from 'vitest'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createHandler } from '@routeware/core'
import { fixture } from './_suite.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('dev reload memory', () => {
  it('heap after 250 reloads is within a few MB of the heap after 25', async () => {
    const root = mkdtempSync(join(tmpdir(), 'routeware-devmem-'))
    cpSync(join(fixture('dev'), '..'), root, { recursive: true })
    const quiet = { error() {}, warn() {}, info() {} }
    const handle = await createHandler({ dir: join(root, 'app'), dev: true, logger: quiet })
    const file = join(root, 'lib', 'message.ts')
    // Each version holds 200 KB, so a leak of old module instances would show at once.
    const reload = async (n: number) => {
      writeFileSync(file, `export const message = 'v${n}'\nexport const ballast = 'x'.repeat(200_000) + ${n}\n`)
      for (let i = 0; i < 200; i++) {
        await new Promise((r) => setTimeout(r, 10))
        if ((await (await handle(new Request('http://x/stable'))).text()) === `v${n}`) return
      }
      throw new Error(`reload ${n} did not land`)
    }
    const heap = () => {
      gc()
      gc()
      return process.memoryUsage().heapUsed
    }
    for (let n = 0; n < 25; n++) await reload(n)
    const early = heap()
    for (let n = 25; n < 250; n++) await reload(n)
    const late = heap()
    // 225 more versions x 200 KB would be 45 MB if instances leaked.
    await handle.close()
    expect(late - early).toBeLessThan(8 * 1024 * 1024)
  }, 120000)
})
