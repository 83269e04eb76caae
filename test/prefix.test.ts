/** Mounted under a prefix: request.url keeps it, nextUrl.basePath is it, params and matching use the path below it. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'
import { HOST_404, HOST_ROUTE } from './_targets.js'

forEachTarget('prefix mount', { options: { dir: fixture('basic') }, prefix: '/api' }, (t) => {
  t.test('routes answer below the prefix', async () => {
    const res = await t.http().get('/api/params/42?x=1')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ pathname: '/params/42', basePath: '/api', params: { id: '42' }, search: '?x=1' })
    expect(res.body.url).toBe(`${t.origin()}/api/params/42?x=1`)
  }, ['prefix'])

  t.test('the root route answers at the prefix itself', async () => {
    const res = await t.http().get('/api')
    expect(res.status).toBe(200)
    expect(res.text).toBe('root')
  }, ['prefix'])

  t.test('paths outside the prefix are the host\'s', async () => {
    expect((await t.http().get('/params/42')).text).toBe(HOST_404)
    expect((await t.http().get(HOST_ROUTE)).text).toBe('host route')
    expect((await t.http().get('/api/nothing')).text).toBe(HOST_404)
  }, ['prefix'])

  t.test('redirects keep the prefix and the query', async () => {
    const res = await t.raw('GET', '/api/hello/?a=1')
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/api/hello?a=1')
    const dots = await t.raw('GET', '/api/catch/../hello')
    expect(dots.status).toBe(308)
    expect(dots.headers.location).toBe('/api/hello')
  }, ['prefix'])

  t.test('dot segments cannot climb out of the prefix into a route', async () => {
    const res = await t.raw('GET', '/api/../hello')
    expect(res.status).toBe(404)
  }, ['prefix', 'raw-path'])
})

forEachTarget('host headers', { options: { dir: fixture('basic') }, hostHeaders: [['x-powered-by', 'host'], ['set-cookie', 'session=abc; Path=/'], ['vary', 'Origin'], ['access-control-allow-origin', '*']] }, (t) => {
  t.test('the handler\'s header replaces the host\'s; Set-Cookie and Vary are appended', async () => {
    const res = await t.raw('GET', '/cookies')
    expect(res.headers['x-powered-by']).toBe('route')
    expect(res.headers['set-cookie']).toEqual(['session=abc; Path=/', 'a=1; Path=/', 'b=2; Path=/; HttpOnly', 'c=3, with comma; Path=/'])
    expect(res.headers.vary).toBe('Origin, Accept')
    expect(res.headers['access-control-allow-origin']).toBe('*')
  }, ['host-headers'])
})
