/** `trailingSlash: true`, as Next (B12): paths gain a slash, file-like paths lose it, the handler sees the slash. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

forEachTarget('trailingSlash: true', { options: { dir: fixture('basic'), trailingSlash: true } }, (t) => {
  t.test('a path without the slash answers 308 to the path with it', async () => {
    const res = await t.raw('GET', '/hello?x=1')
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/hello/?x=1')
  })

  t.test('the slashed path is served and the handler sees the slash', async () => {
    const res = await t.http().get('/params/5/')
    expect(res.status).toBe(200)
    expect(res.body.pathname).toBe('/params/5/')
    expect(new URL(res.body.url).pathname).toBe('/params/5/')
    expect(res.body.params).toEqual({ id: '5' })
  })

  t.test('a file-like last segment loses the slash', async () => {
    expect((await t.http().get('/api/hello.json')).status).toBe(200)
    const res = await t.raw('GET', '/api/hello.json/')
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/api/hello.json')
  })

  t.test('the root is served as /', async () => {
    expect((await t.http().get('/')).text).toBe('root')
  })
})
