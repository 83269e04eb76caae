import { describe, expect, it } from 'vitest'
import { serialize } from 'cookie'
import { ResponseCookies, serializeCookie } from './response-cookies.js'

/** What `cookie.serialize` says of the same attributes: throws, or not. */
const cookieRefuses = (name: string, options: { path?: string; domain?: string }) => {
  try {
    serialize(name, '', options)
    return false
  } catch {
    return true
  }
}

describe('cookie attributes (issue #17)', () => {
  const hostile = ['/; Domain=evil.example', 'a\r\nx-injected: 1', 'a\x01b', 'a\x7fb', 'a;b', 'a\nb']

  it('refuses a name, path or domain that cookie.serialize refuses, naming the cookie', () => {
    for (const value of hostile) {
      expect(() => new ResponseCookies(new Headers()).set('c', '1', { path: value }), value).toThrow(/cookie "c".*path/)
      expect(() => new ResponseCookies(new Headers()).set('c', '1', { domain: value }), value).toThrow(/cookie "c".*domain/)
      expect(() => new ResponseCookies(new Headers()).set(value, '1'), value).toThrow(/cookie .*name/)
      expect(cookieRefuses('c', { path: value }) || cookieRefuses('c', { domain: value }), value).toBe(true)
    }
    expect(() => serializeCookie({ name: 'c', value: '1', sameSite: 'lax; Domain=evil.example' as 'lax' })).toThrow(/SameSite/)
    expect(() => serializeCookie({ name: 'c', value: '1', priority: 'high; Secure' as 'high' })).toThrow(/Priority/)
  })

  it('accepts what cookie.serialize accepts, and encodes any value', () => {
    const headers = new Headers()
    const cookies = new ResponseCookies(headers)
    cookies.set('__Host-id', 'a; Domain=evil.example\r\n', { path: '/a b/c', domain: '.Example.com', sameSite: 'Lax' as 'lax', priority: 'high' })
    expect(headers.getSetCookie()).toEqual(['__Host-id=a%3B%20Domain%3Devil.example%0D%0A; Path=/a b/c; Domain=.Example.com; SameSite=Lax; Priority=high'])
    expect(cookieRefuses('__Host-id', { path: '/a b/c', domain: '.Example.com' })).toBe(false)
  })

  it('a refused set leaves the cookies already set as they were', () => {
    const headers = new Headers()
    const cookies = new ResponseCookies(headers)
    cookies.set('a', '1')
    expect(() => cookies.set('b', '2', { path: '/;x' })).toThrow()
    expect(headers.getSetCookie()).toEqual(['a=1; Path=/'])
    expect(cookies.has('b')).toBe(false)
  })
})
