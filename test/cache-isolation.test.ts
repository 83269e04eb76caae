/**
 * Issue #17: the response cache never serves one client what was made for another: dynamic use
 * through clones, the Host of whoever triggers a regeneration, the mount prefix, responses meant
 * for one client, stalled readers, equivalent encodings.
 */
import { expect } from 'vitest'
import { connect, type Socket } from 'node:net'
import { createMemoryStore } from '@routeware/core'
import { fixture, forEachTarget, type TargetContext } from './_suite.js'
import { requestBytes } from './_hostile.js'
import { holdClock, until } from './_clock.js'

const dir = fixture('cache-isolation')
const EVIL = 'evil.example'
const MiB = 1024 * 1024
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
type Seen = Array<{ host: string; cookie: string | null }>
const g = globalThis as {
  __regenSeen?: Seen
  __regenBig?: { produced: number }
  __tee?: Map<string, number[]>
}

/** Wait until `read()` stops changing for 200 ms (at most 5 s). */
async function settled(read: () => number): Promise<number> {
  let last = read()
  for (let i = 0; i < 25; i++) {
    await wait(200)
    const now = read()
    if (now === last) return now
    last = now
  }
  return last
}

/** A client that sends a GET and never reads the answer: its socket buffers fill, then the server's writes stall. */
function neverReads(origin: string, path: string): Promise<Socket> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.pause()
      socket.write(requestBytes(origin, 'GET', path))
      resolve(socket)
    })
    socket.on('error', () => {})
  })
}

/** GET the whole body as bytes, failing past `timeout` ms. */
function getBytes(t: TargetContext, path: string, timeout: number) {
  return t
    .http()
    .get(path)
    .timeout(timeout)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

/** Ask `path` as the attacker (`attack` sets the header), then as a plain client: the plain one never gets the attacker's answer. */
async function neverShared(t: TargetContext, path: string, attack: [string, string], secret: string): Promise<void> {
  const first = await t.http().get(path).set(attack[0], attack[1]).redirects(0)
  expect(JSON.stringify(first.headers) + first.text).toContain(secret)
  const second = await t.http().get(path).redirects(0)
  expect(JSON.stringify(second.headers) + second.text).not.toContain(secret)
  expect(second.headers['x-routeware-cache']).toBeUndefined()
}

forEachTarget('issue #17: the cache and request clones', { options: { dir } }, (t) => {
  t.test('issue #17: a header read through request.clone() is dynamic use: one caller\'s Cookie is never cached for the next', async () => {
    await neverShared(t, '/clone-headers', ['cookie', 'session=alice-secret'], 'alice-secret')
  })

  t.test('issue #17: cookies read through request.clone() are dynamic use', async () => {
    await neverShared(t, '/clone-cookies', ['cookie', 'session=alice-secret'], 'alice-secret')
  })

  t.test('issue #17: request.clone().url is dynamic use', async () => {
    const first = await t.http().get('/clone-url?token=alice-secret')
    expect(first.body.url).toContain('alice-secret')
    const plain = await t.http().get('/clone-url')
    expect(plain.body.url).toBe(`${t.origin()}/clone-url`)
    expect(plain.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test('issue #17: a clone of a clone is tracked too', async () => {
    await neverShared(t, '/clone-of-clone', ['x-user', 'alice-secret'], 'alice-secret')
  })

  t.test('issue #17: a query read through nextUrl.clone() is never served to later callers (stored XSS shape)', async () => {
    const attack = await t.http().get('/url-clone-query?q=<script>alert(1)</script>')
    expect(attack.text).toContain('<script>')
    const victim = await t.http().get('/url-clone-query')
    expect(victim.text).toBe('<p></p>')
    expect(victim.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test(`issue #17: a redirect built from a cloned nextUrl with Host: ${EVIL} is never cached for later clients`, async () => {
    await neverShared(t, '/url-clone-redirect', ['host', EVIL], EVIL)
    const victim = await t.http().get('/url-clone-redirect').redirects(0)
    expect(victim.headers.location).toBe(`${t.origin()}/login`)
  })

  // Unlisted params of a generateStaticParams route: rendered on request, as in Next.
  t.test('issue #17: nextUrl.clone().host is dynamic use', async () => {
    await neverShared(t, '/url-clone-host/unlisted', ['host', EVIL], EVIL)
  })

  t.test(`issue #17: nextUrl.host / protocol are dynamic use in a cached run (Next does not track them: its URL carries its own host, ours the client's)`, async () => {
    await neverShared(t, '/next-url-host/unlisted', ['host', EVIL], EVIL)
  })

  t.test('a static route reading nextUrl.host was rendered at start-up on http://localhost:3000, as next build renders it: no client Host reaches the entry', async () => {
    for (const [path, body] of [['/next-url-host', { link: 'http://localhost:3000/login' }], ['/url-clone-host', { host: 'localhost:3000' }]] as const) {
      const res = await t.http().get(path).set('host', EVIL)
      expect(res.headers['x-routeware-cache']).toBe('HIT')
      expect(res.body).toEqual(body)
    }
  })
})

forEachTarget('issue #17: the cache and request clones, trust proxy', { options: { dir }, trustProxy: true }, (t) => {
  t.test(`issue #17: a redirect built from a cloned nextUrl with X-Forwarded-Host: ${EVIL} is never cached for later clients`, async () => {
    const first = await t.http().get('/url-clone-redirect').set('x-forwarded-host', EVIL).redirects(0)
    expect(first.status).toBe(307)
    const victim = await t.http().get('/url-clone-redirect').redirects(0)
    expect(victim.headers.location).toBe(`${t.origin()}/login`)
    expect(victim.headers['x-routeware-cache']).toBeUndefined()
  })
})

forEachTarget('issue #17: responses meant for one client', { options: { dir } }, (t) => {
  /** Two GETs: each runs the handler, neither is a HIT, no Next s-maxage is added. */
  async function neverStored(path: string) {
    const first = await t.raw('GET', path)
    const second = await t.raw('GET', path)
    expect(first.status).toBe(200)
    expect(second.headers['x-routeware-cache']).toBe('MISS')
    expect(JSON.parse(second.body).n).toBeGreaterThan(JSON.parse(first.body).n)
    for (const res of [first, second]) expect(String(res.headers['cache-control'] ?? '')).not.toContain('s-maxage')
    return { first, second }
  }

  t.test('issue #17: Cache-Control: private is never stored (Next stores and replays it as HIT)', async () => {
    const { second } = await neverStored('/private-cc')
    expect(second.headers['cache-control']).toBe('private, max-age=60')
  })

  t.test('issue #17: Cache-Control: no-store (any case, any position) is never stored (Next stores and replays it as HIT)', async () => {
    await neverStored('/no-store-cc')
  })

  t.test('issue #17: a response with Vary is never stored (Next stores and replays it as HIT)', async () => {
    const { second } = await neverStored('/vary')
    expect(second.headers.vary).toBe('Accept-Language')
  })

  t.test("issue #17: a Set-Cookie (a session id) is never replayed to another client (Next stores and replays it as HIT)", async () => {
    const { first, second } = await neverStored('/session-cookie')
    expect(first.headers['set-cookie']).not.toEqual(second.headers['set-cookie'])
    expect(String(second.headers['set-cookie'])).toContain(`sid-${JSON.parse(second.body).n}`)
  })
})

forEachTarget('issue #17: equivalent encodings of a param', { options: { dir } }, (t) => {
  const same = async (paths: string[], slug: string) => {
    const answers = []
    for (const path of paths) answers.push(await t.raw('GET', path))
    for (const res of answers) {
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toEqual(JSON.parse(answers[0]!.body))
      expect(JSON.parse(res.body).slug).toBe(slug)
    }
    return answers
  }

  t.test('issue #17: dynamicParams = false: %C3%A9 and %c3%a9 are the one listed param, one entry', async () => {
    const answers = await same(['/strict/%C3%A9', '/strict/%c3%a9'], 'é')
    for (const res of answers) expect(res.headers['x-routeware-cache']).toBe('HIT')
  })

  t.test('issue #17: dynamicParams = false: a:b and a%3Ab are the one listed param, one entry', async () => {
    const answers = await same(['/strict/a:b', '/strict/a%3Ab', '/strict/a%3ab'], 'a:b')
    for (const res of answers) expect(res.headers['x-routeware-cache']).toBe('HIT')
  })

  t.test('issue #17: an unlisted param rendered on demand is one entry whatever its encoding', async () => {
    const answers = await same(['/loose/%c3%a9t%C3%A9', '/loose/%C3%A9t%c3%a9', '/loose/%C3%A9t%C3%A9'], 'été')
    expect(answers.map((res) => res.headers['x-routeware-cache'])).toEqual(['MISS', 'HIT', 'HIT'])
  })
})

forEachTarget('issue #17: one routes() mounted at a parametric prefix /t/:tenant', { options: { dir }, prefix: '/t/:tenant' }, (t) => {
  const page = (tenant: string) => t.http().get(`/t/${tenant}/tenant-page`)

  t.test("issue #17: tenant B never gets tenant A's cached body (the key holds the prefix)", async () => {
    const a = await page('acme')
    expect(a.status).toBe(200)
    expect(a.body.basePath).toBe('/t/acme')
    const b = await page('globex')
    expect(b.body.basePath).toBe('/t/globex')
    expect(b.headers['x-routeware-cache']).toBe('MISS')
    const again = await page('acme')
    expect(again.headers['x-routeware-cache']).toBe('HIT')
    expect(again.body).toEqual(a.body)
  }, ['prefix'])

  t.test("issue #17: revalidatePath('/tenant-page') from a handler reaches its own mount's entry only", async () => {
    const a = await page('initech')
    const b = await page('umbrella')
    const action = await t.http().post('/t/initech/tenant-revalidate?path=/tenant-page')
    expect(action.body).toEqual({ revalidated: '/tenant-page' })
    const a2 = await page('initech')
    expect(a2.headers['x-routeware-cache']).toBe('MISS')
    expect(a2.body.n).toBeGreaterThan(a.body.n)
    const b2 = await page('umbrella')
    expect(b2.headers['x-routeware-cache']).toBe('HIT')
    expect(b2.body).toEqual(b.body)
  }, ['prefix'])

  t.test("issue #17: revalidatePath('/', 'layout') drops everything below its own mount only", async () => {
    await page('hooli')
    const other = await page('pied-piper')
    await t.http().post('/t/hooli/tenant-revalidate?path=/&type=layout')
    expect((await page('hooli')).headers['x-routeware-cache']).toBe('MISS')
    expect((await page('pied-piper')).body).toEqual(other.body)
  }, ['prefix'])

  t.test('the tree answers below every value of the prefix, its root at the prefix itself', async () => {
    expect((await t.http().get('/t/acme')).text).toBe('root')
    expect((await t.http().get('/t/x/tenant-page')).body.basePath).toBe('/t/x')
    expect((await t.http().get('/tenant-page')).status).toBe(404)
    expect((await t.http().get('/t')).status).toBe(404)
  }, ['prefix'])

  t.test('a non-canonical path below a parametric prefix answers 308 to its canonical form, prefix kept', async () => {
    const res = await t.raw('GET', '/t/acme//tenant-page?x=1')
    expect(res.status).toBe(308)
    expect(res.headers.location).toBe('/t/acme/tenant-page?x=1')
    const dots = await t.raw('GET', '/t/acme/nothing/../tenant-page')
    expect(dots.status).toBe(308)
    expect(dots.headers.location).toBe('/t/acme/tenant-page')
  }, ['prefix'])
})

forEachTarget('issue #17: background regeneration', { options: { dir } }, (t) => {
  t.test(`issue #17: a stale entry regenerated by a request with Host: ${EVIL} and a Cookie runs on the fixed origin and sees neither`, async () => {
    g.__regenSeen = undefined
    // The clock is held: the entry turns stale when the test says, whatever the machine's load.
    const clock = holdClock()
    try {
      // An entry made on the held clock: the start-up one is dropped, the next GET renders it.
      await t.http().post('/tenant-revalidate?path=/regen-origin')
      expect((await t.http().get('/regen-origin')).headers['x-routeware-cache']).toBe('MISS')
      clock.advance(1100)
      const seen: Seen = []
      g.__regenSeen = seen
      const stale = await t.http().get('/regen-origin').set('host', EVIL).set('cookie', 'session=alice-secret')
      expect(stale.headers['x-routeware-cache']).toBe('STALE')
      await until(() => (seen.length > 0 ? true : undefined), 'the background regeneration to run')
      g.__regenSeen = undefined
      expect(seen).toEqual([{ host: 'localhost:3000', cookie: null }])
      expect((await t.http().get('/regen-origin')).text).not.toContain(EVIL)
    } finally {
      g.__regenSeen = undefined
      clock.restore()
    }
  })

  t.test("issue #17: a header read inside the response stream's pull() is dynamic use: never cached for the next client", async () => {
    const alice = await t.http().get('/pull-reads').set('x-user', 'alice')
    expect(alice.text).toBe('user=alice')
    const bob = await t.http().get('/pull-reads').set('x-user', 'bob')
    expect(bob.text).toBe('user=bob')
    expect(bob.headers['x-routeware-cache']).toBeUndefined()
  })

  t.test("issue #17: a background regeneration stops reading at the store's entry limit (it read all 64 MiB, then stored nothing)", async () => {
    g.__regenBig = undefined
    const clock = holdClock()
    try {
      // An entry made on the held clock: the start-up one is dropped, the next GET renders it.
      await t.http().post('/tenant-revalidate?path=/regen-big')
      const first = await t.http().get('/regen-big')
      expect(first.headers['x-routeware-cache']).toBe('MISS')
      expect(first.text).toBe('small')
      clock.advance(1100)
      const state = { produced: 0 }
      g.__regenBig = state
      const stale = await t.http().get('/regen-big')
      expect(stale.headers['x-routeware-cache']).toBe('STALE')
      expect(stale.text).toBe('small')
      await until(() => (state.produced > 0 ? true : undefined), 'the background regeneration to start reading')
      const produced = await settled(() => state.produced)
      g.__regenBig = undefined
      // The default store keeps 4 MiB at most: the chunk past it is read (and the one the stream
      // already queued, its highWaterMark), then the stream is cancelled.
      expect(produced).toBeGreaterThan(4 * MiB)
      expect(produced).toBeLessThanOrEqual(6 * MiB)
      expect((await t.http().get('/regen-big')).text).toBe('small')
    } finally {
      g.__regenBig = undefined
      clock.restore()
    }
  }, [], 20000)
})

forEachTarget('issue #17: a client that never reads', { options: { dir, cache: createMemoryStore({ maxEntryBytes: 16 * MiB, maxBytes: 64 * MiB }) } }, (t) => {
  const slug = (mib: number) => `${Math.random().toString(36).slice(2)}-${mib}`

  t.test('issue #17: a client that never reads a cached stream does not stall the next client: the entry fills from the generator', async () => {
    const id = slug(12)
    const stalled = await neverReads(t.origin(), `/tee/${id}`)
    await wait(300)
    const started = Date.now()
    const second = await getBytes(t, `/tee/${id}`, 8000)
    expect(second.status).toBe(200)
    expect((second.body as Buffer).byteLength).toBe(12 * MiB)
    expect(Date.now() - started).toBeLessThan(4000)
    // One generation, shared: the second client got the entry the first one's run filled.
    expect(g.__tee!.get(id)).toHaveLength(1)
    expect((await t.http().get(`/tee/${id}`)).headers['x-routeware-cache']).toBe('HIT')
    stalled.destroy()
  }, [], 20000)

  t.test("issue #17: past the store's entry limit, a client that never reads does not stall the next one, which generates its own", async () => {
    const id = slug(40)
    const stalled = await neverReads(t.origin(), `/tee/${id}`)
    await wait(300)
    const second = await getBytes(t, `/tee/${id}`, 8000)
    expect((second.body as Buffer).byteLength).toBe(40 * MiB)
    expect(g.__tee!.get(id)).toHaveLength(2)
    stalled.destroy()
  }, [], 20000)

  t.test('issue #17: the generator for a client that never reads is read no further than the entry limit plus what the socket holds (never the whole stream)', async () => {
    const id = slug(40)
    const stalled = await neverReads(t.origin(), `/tee/${id}`)
    const produced = await settled(() => g.__tee?.get(id)?.[0] ?? 0)
    // 16 MiB for the entry, then paced by the client: its socket buffers (a few MiB on loopback).
    expect(produced).toBeLessThan(28 * MiB)
    stalled.destroy()
  }, ['node-writer'], 20000)
})
