/** Next's auto-implemented methods (app-route/helpers/auto-implement-methods.ts): HEAD runs GET without a body, automatic OPTIONS, 405 with Allow, 400 for unknown methods. */
import { expect } from 'vitest'
import { fixture, forEachTarget } from './_suite.js'

forEachTarget('methods', { options: { dir: fixture('basic') } }, (t) => {
  t.test('HEAD runs the GET function (method HEAD) and sends its headers without a body', async () => {
    const res = await t.raw('HEAD', '/methods/head')
    expect(res.status).toBe(200)
    expect(res.headers['x-method']).toBe('HEAD')
    expect(res.headers['content-type']).toBe('text/plain')
    expect(res.body).toBe('')
  })

  t.test('an exported HEAD is used instead of GET', async () => {
    const res = await t.http().head('/methods/own-head')
    expect(res.status).toBe(200)
    expect(res.headers['x-head']).toBe('own')
  })

  t.test('automatic OPTIONS: 204, sorted Allow, empty body', async () => {
    const get = await t.http().options('/methods/get-only')
    expect(get.status).toBe(204)
    expect(get.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(get.text).toBe('')
    const post = await t.http().options('/methods/post-only')
    expect(post.headers.allow).toBe('OPTIONS, POST')
    const all = await t.http().options('/echo')
    expect(all.status).toBe(200)
    expect(all.text).toBe('options ')
  })

  t.test('automatic OPTIONS lists all seven methods when all are exported, but an exported OPTIONS wins', async () => {
    const res = await t.http().options('/methods/own-options')
    expect(res.status).toBe(200)
    expect(res.text).toBe('custom options')
    const all = await t.http().options('/methods/all')
    expect(all.text).toBe('all OPTIONS')
  })

  t.test('a known method the file does not export answers 405 with Allow and an empty body', async () => {
    const res = await t.http().post('/methods/get-only')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS')
    expect(res.text).toBe('')
    const del = await t.http().delete('/methods/post-only')
    expect(del.status).toBe(405)
    expect(del.headers.allow).toBe('OPTIONS, POST')
  })

  t.test('HEAD on a file without GET or HEAD is 405', async () => {
    const res = await t.http().head('/methods/post-only')
    expect(res.status).toBe(405)
  })

  t.test('every exported method reaches its handler', async () => {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const res = await t.http()[method]('/methods/all')
      expect(res.text).toBe(`all ${method.toUpperCase()}`)
    }
  })

  t.test('an unknown method answers 400 with an empty body', async () => {
    const res = await t.raw('PURGE', '/methods/all')
    // Fastify's router answers methods it does not know with its own 404 (documented difference).
    expect([400, 404]).toContain(res.status)
    const trace = await t.raw('TRACE', '/methods/all')
    expect(trace.status).toBe(400)
    expect(trace.body).toBe('')
  })

  t.test('DELETE and OPTIONS handlers can read a body; GET bodies are dropped', async () => {
    const del = await t.http().delete('/echo').send('{"name":"foo"}')
    expect(del.body.body).toBe('{"name":"foo"}')
    const options = await t.http().options('/echo').send('bar')
    expect(options.text).toBe('options bar')
    const get = await t.raw('GET', '/echo', { 'content-type': 'text/plain' }, 'ignored body')
    expect(get.status).toBe(200)
    expect(JSON.parse(get.body).body).toBe(null)
  })
})
