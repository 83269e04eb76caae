import { describe, expect, it } from 'vitest'
import { isBareNext, NextResponse } from './next-response.js'
import { toOutgoing } from './outgoing.js'

describe('NextResponse (light)', () => {
  it('is a Response in every way a caller can see', async () => {
    const res = NextResponse.json({ a: 1 }, { status: 201, statusText: 'Made', headers: { 'x-a': '1' } })
    expect(res).toBeInstanceOf(Response)
    expect(res).toBeInstanceOf(NextResponse)
    expect(Object.prototype.toString.call(res)).toBe('[object Response]')
    expect([res.status, res.statusText, res.ok, res.redirected, res.type, res.url]).toEqual([201, 'Made', true, false, 'default', ''])
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('x-a')).toBe('1')
    expect(res.bodyUsed).toBe(false)
    expect(await res.json()).toEqual({ a: 1 })
    expect(res.bodyUsed).toBe(true)
    await expect(res.text()).rejects.toThrow(TypeError)
  })

  it('keeps a content-type the caller set', () => {
    expect(NextResponse.json(1, { headers: { 'content-type': 'application/problem+json' } }).headers.get('content-type')).toBe('application/problem+json')
  })

  it('body is a stream of the bytes, readable by new Response(body)', async () => {
    const res = NextResponse.json({ ok: 'é' })
    expect(await new Response(res.body).text()).toBe('{"ok":"é"}')
    expect(res.bodyUsed).toBe(true)
  })

  it('clone() gives an independent copy', async () => {
    const res = NextResponse.json([1, 2])
    const copy = res.clone()
    expect(await copy.text()).toBe('[1,2]')
    expect(await res.text()).toBe('[1,2]')
  })

  it('arrayBuffer, bytes, blob', async () => {
    expect(new Uint8Array(await NextResponse.json('x').arrayBuffer())).toEqual(new TextEncoder().encode('"x"'))
    expect(await (NextResponse.json('x') as unknown as { bytes(): Promise<Uint8Array> }).bytes()).toEqual(new TextEncoder().encode('"x"'))
    const blob = await NextResponse.json('x').blob()
    expect(blob.type).toBe('application/json')
    expect(await blob.text()).toBe('"x"')
  })

  it('refuses what Response.json refuses', () => {
    expect(() => NextResponse.json(undefined)).toThrow(TypeError)
    expect(() => NextResponse.json(1, { status: 100 })).toThrow(RangeError)
  })

  it('refuses a status text undici refuses, with the same TypeError (issue #17)', () => {
    for (const statusText of ['ok\r\nx-injected: 1', 'ok\n', 'a\x01', 'a\x7f', 'euro \u20ac', '\u0100']) {
      expect(() => new Response('x', { statusText }), JSON.stringify(statusText)).toThrow(TypeError)
      expect(() => NextResponse.json({}, { statusText }), JSON.stringify(statusText)).toThrow(new TypeError('Invalid statusText'))
      expect(() => NextResponse.redirect('https://example.com/', { status: 307, statusText }), JSON.stringify(statusText)).toThrow(new TypeError('Invalid statusText'))
    }
    for (const statusText of ['', 'All Good', 'a\tb', 'caf\u00e9']) {
      expect(new Response('x', { statusText }).statusText).toBe(statusText)
      expect(NextResponse.json({}, { statusText }).statusText).toBe(statusText)
    }
  })

  it('new NextResponse(...) is an ordinary Response', async () => {
    const res = new NextResponse('hi', { status: 202 })
    expect(res.status).toBe(202)
    expect(await res.text()).toBe('hi')
  })

  it('cookies write Set-Cookie lines on the light response', () => {
    const res = NextResponse.json({})
    res.cookies.set('a', '1')
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/'])
  })

  it('goes out as its string, with just a content-type, unless headers were touched', async () => {
    const out = await toOutgoing(NextResponse.json({ id: '1' }), false)
    expect(out).toEqual({ status: 200, statusText: '', headers: [['content-type', 'application/json']], body: '{"id":"1"}' })
    const head = await toOutgoing(NextResponse.json({ id: '1' }), true)
    expect(head.body).toBe(null)
    const res = NextResponse.json({})
    res.headers.set('x-b', '2')
    expect((await toOutgoing(res, false)).headers).toEqual([['content-type', 'application/json'], ['x-b', '2']])
  })

  it('redirect() is light too and keeps Location absolute', async () => {
    const out = await toOutgoing(NextResponse.redirect('https://example.com/a b'), false)
    expect(out.status).toBe(307)
    expect(out.headers).toEqual([['location', 'https://example.com/a%20b']])
    expect(out.body).toBe(null)
  })
})

describe('NextResponse.next() / rewrite(): the proxy fields, as Next carries them', () => {
  it('next({ request: { headers } }) lists every request header and its value', () => {
    const headers = new Headers({ 'x-a': '1', cookie: 'c=2' })
    const res = NextResponse.next({ request: { headers }, headers: { 'x-out': 'o' } })
    expect(res.headers.get('x-middleware-next')).toBe('1')
    expect(res.headers.get('x-middleware-override-headers')).toBe('cookie,x-a')
    expect(res.headers.get('x-middleware-request-x-a')).toBe('1')
    expect(res.headers.get('x-middleware-request-cookie')).toBe('c=2')
    expect(res.headers.get('x-out')).toBe('o')
  })

  it('request.headers must be a Headers, as in Next', () => {
    expect(() => NextResponse.next({ request: { headers: { 'x-a': '1' } as unknown as Headers } })).toThrow('request.headers must be an instance of Headers')
  })

  it('a bare next() builds no Headers until a header is added, then keeps both', () => {
    const bare = NextResponse.next()
    expect(isBareNext(bare)).toBe(true)
    const added = NextResponse.next()
    added.headers.set('x-b', '2')
    expect(isBareNext(added)).toBe(false)
    expect([...added.headers]).toEqual([['x-b', '2'], ['x-middleware-next', '1']])
    expect(bare.headers.get('x-b')).toBe(null)
  })

  it('rewrite() takes a NextURL and carries request headers too', () => {
    const res = NextResponse.rewrite(new URL('http://x/new?y=1'), { request: { headers: new Headers({ 'x-a': '1' }) } })
    expect(res.headers.get('x-middleware-rewrite')).toBe('http://x/new?y=1')
    expect(res.headers.get('x-middleware-override-headers')).toBe('x-a')
  })
})
