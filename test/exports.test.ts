/** Export validation at load time, Next's way (packages/next/src/server/route-modules/app-route/module.ts): warn naming the file and the fix; such requests answer 405. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

forEachTarget('route exports', { options: { dir: fixture('exports') } }, (t) => {
  t.test('a lowercase get is logged with the fix, and GET answers 405', async () => {
    const res = await t.http().get('/lowercase')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('OPTIONS')
    expect(t.logs().join('\n')).toMatch(/Detected lowercase method 'get' in '.*lowercase[\\/]route\.ts'\. Export the uppercase 'GET' method name to fix this error\./)
  })

  t.test('a default export is logged with the fix, and GET answers 405', async () => {
    const res = await t.http().get('/default-export')
    expect(res.status).toBe(405)
    const logs = t.logs().join('\n')
    expect(logs).toMatch(/Detected default export in '.*default-export[\\/]route\.ts'\. Export a named export for each HTTP method instead\./)
    expect(logs).toMatch(/No HTTP methods exported in '.*default-export[\\/]route\.ts'\. Export a named export for each HTTP method\./)
  })

  t.test('a file exporting no method is logged and answers 405', async () => {
    expect((await t.http().get('/none')).status).toBe(405)
    expect(t.logs().join('\n')).toMatch(/No HTTP methods exported in '.*none[\\/]route\.ts'/)
  })

  t.test('unknown exports are ignored; each warning is logged once', async () => {
    expect((await t.http().get('/ok')).text).toBe('ok')
    await t.http().get('/lowercase')
    const count = t.logs().filter((l) => l.includes("Detected lowercase method 'get'")).length
    expect(count).toBe(1)
  })
})
