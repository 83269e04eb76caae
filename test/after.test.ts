/**
 * `after()` from `next/server` and `waitUntil` from `@vercel/functions`: the task runs once the
 * response has been sent (also after a throw, `redirect()`, `notFound()`), inside the request
 * scope, its errors logged and never sent; `close()` waits for pending tasks and requests in
 * flight, at most `shutdownTimeout`, and says so in the log.
 */
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'

const dir = fixture('after')

/** The events the fixture's tasks recorded for `id`. */
async function events(t: TargetContext, id: string): Promise<string[]> {
  return (await t.http().get(`/events?id=${id}`)).body as string[]
}

/** Poll until `id` has recorded `event` (tasks run after the response), or fail with what it has. */
async function waitFor(t: TargetContext, id: string, event: string, timeout = 5000): Promise<string[]> {
  const deadline = Date.now() + timeout
  for (;;) {
    const seen = await events(t, id)
    if (seen.includes(event)) return seen
    if (Date.now() > deadline) throw new Error(`no "${event}" for ${id}; recorded: ${JSON.stringify(seen)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

forEachTarget('after()', { options: { dir } }, (t) => {
  t.test('the response reaches the client before a slow task finishes; the task then runs to its end', async () => {
    const id = randomUUID()
    const res = await t.http().get(`/slow?id=${id}&ms=1500`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true })
    // The client has the whole response while the task still sleeps.
    expect(await events(t, id)).not.toContain('task done')
    expect(await waitFor(t, id, 'task done')).toEqual(['handler returned', 'task started', 'task done'])
  })

  t.test('runs after a thrown error, which still answers 500', async () => {
    const id = randomUUID()
    expect((await t.http().get(`/throws?id=${id}`)).status).toBe(500)
    await waitFor(t, id, 'after ran')
  })

  t.test('runs after redirect() and notFound()', async () => {
    const redirected = randomUUID()
    const res = await t.http().get(`/redirect?id=${redirected}`)
    expect(res.status).toBe(307)
    expect(res.headers.location).toBe('/elsewhere')
    await waitFor(t, redirected, 'after ran')
    const missing = randomUUID()
    expect((await t.http().get(`/not-found?id=${missing}`)).status).toBe(404)
    await waitFor(t, missing, 'after ran')
  })

  t.test('cookies(), headers() and connection() still read the request inside the task; setting a cookie throws Next\'s error', async () => {
    const id = randomUUID()
    const res = await t.http().get(`/scope?id=${id}`).set('cookie', 'who=ada').set('x-who', 'grace')
    expect(res.text).toBe('ok')
    expect(res.headers['set-cookie']).toBeUndefined()
    const seen = await waitFor(t, id, 'Cookies can only be modified in a Server Action or Route Handler. Read more: https://nextjs.org/docs/app/api-reference/functions/cookies#options')
    expect(seen.slice(0, 2)).toEqual(['cookie ada header grace', 'connection() resolved'])
  })

  t.test('a failing task or promise is logged naming the route file and never reaches the client; the other tasks run', async () => {
    const id = randomUUID()
    const res = await t.http().get(`/task-error?id=${id}`)
    expect(res.status).toBe(200)
    expect(res.text).toBe('sent')
    await waitFor(t, id, 'the next task still ran')
    const logs = t.logs().join('\n')
    expect(logs).toMatch(/An error occurred in a function passed to `after\(\)` \(.*task-error[\\/]route\.ts\):[\s\S]*the after task failed/)
    expect(logs).toMatch(/An error occurred in a promise passed to `after\(\)` \(.*task-error[\\/]route\.ts\):[\s\S]*the after promise failed/)
  })

  t.test('a streamed response: the task runs once the stream has ended', async () => {
    const id = randomUUID()
    const res = await t.http().get(`/stream?id=${id}`)
    expect(res.text).toBe('chunk 0\nchunk 1\nchunk 2\n')
    expect(await waitFor(t, id, 'after ran')).toEqual(['stream ended', 'after ran'])
  })

  t.test('after() inside a task runs too', async () => {
    const id = randomUUID()
    await t.http().get(`/nested?id=${id}`)
    expect(await waitFor(t, id, 'inner ran')).toEqual(['outer ran', 'inner ran'])
  })

  t.test('a promise given to after() is awaited', async () => {
    const id = randomUUID()
    await t.http().get(`/promise?id=${id}`)
    await waitFor(t, id, 'promise settled')
  })

  t.test("waitUntil from @vercel/functions reaches Routeware's request context", async () => {
    const id = randomUUID()
    const res = await t.http().get(`/wait-until?id=${id}`)
    expect(res.text).toBe('ok')
    expect(await events(t, id)).toEqual([])
    await waitFor(t, id, 'waitUntil done')
  })
})

forEachTarget('after(): close() waits for a pending task', { options: { dir } }, (t) => {
  t.test('close() resolves once the task finished, and the log says what it waited for', async () => {
    const id = randomUUID()
    expect((await t.http().get(`/slow?id=${id}&ms=700`)).status).toBe(200)
    const waitUntilId = randomUUID()
    expect((await t.http().get(`/wait-until?id=${waitUntilId}&ms=700`)).status).toBe(200)
    await t.close()
    // Read in this process: the fixture's record is the one the tasks wrote to.
    const store = (globalThis as { __afterEvents?: Map<string, string[]> }).__afterEvents!
    expect(store.get(id)).toContain('task done')
    expect(store.get(waitUntilId)).toContain('waitUntil done')
    const logs = t.logs().join('\n')
    expect(logs).toMatch(/Routeware is closing: waiting for 2 after\(\) tasks \(at most 10000 ms\)\./)
    expect(logs).toMatch(/Routeware closed: 2 after\(\) tasks finished\./)
  })
})

forEachTarget('after(): close() waits for a request in flight', { options: { dir } }, (t) => {
  t.test('a request whose handler is still running when close() starts is answered', async () => {
    const id = randomUUID()
    const pending = t.http().get(`/hang?id=${id}&ms=600`).then((res) => res)
    await waitFor(t, id, 'handler started')
    await t.close()
    const store = (globalThis as { __afterEvents?: Map<string, string[]> }).__afterEvents!
    expect(store.get(id)).toContain('handler returned')
    const res = await pending
    expect(res.status).toBe(200)
    expect(res.text).toBe('finally')
  })
})

forEachTarget('after(): shutdownTimeout bounds close()', { options: { dir, shutdownTimeout: 200 } }, (t) => {
  t.test('close() gives up on a task past shutdownTimeout and logs what it gave up', async () => {
    const id = randomUUID()
    expect((await t.http().get(`/slow?id=${id}&ms=3000`)).status).toBe(200)
    const started = Date.now()
    await t.close()
    expect(Date.now() - started).toBeLessThan(2500)
    const store = (globalThis as { __afterEvents?: Map<string, string[]> }).__afterEvents!
    expect(store.get(id)).not.toContain('task done')
    expect(t.logs().join('\n')).toMatch(/Routeware closed after 200 ms \(shutdownTimeout\), giving up on 1 after\(\) task\./)
  })
})
