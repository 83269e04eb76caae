import { describe, expect, it } from 'vitest'
import { canonicalPath, toCacheKey } from './cache-key.js'

describe('canonicalPath', () => {
  it('keeps a plain path as it is', () => {
    expect(canonicalPath('/')).toBe('/')
    expect(canonicalPath("/a/b-c_d.e~f!g*h'(i)")).toBe("/a/b-c_d.e~f!g*h'(i)")
  })
  it('gives equivalent spellings of one segment one key', () => {
    for (const spelling of ['/x/%C3%A9', '/x/%c3%a9', '/x/é']) expect(canonicalPath(spelling)).toBe('/x/%C3%A9')
    for (const spelling of ['/x/a:b', '/x/a%3Ab', '/x/a%3ab']) expect(canonicalPath(spelling)).toBe('/x/a%3Ab')
  })
  it('keeps an encoded slash inside its segment', () => {
    expect(canonicalPath('/x/a%2fb')).toBe('/x/a%2Fb')
  })
  it('keeps a segment that does not decode', () => {
    expect(canonicalPath('/x/%zz/%C3')).toBe('/x/%zz/%C3')
  })
})

describe('toCacheKey', () => {
  it('puts the concrete mount prefix before the path, one spelling for both', () => {
    expect(toCacheKey('', '/x')).toBe('/x')
    expect(toCacheKey('/t/acme', '/x')).toBe('/t/acme/x')
    expect(toCacheKey('/t/acme', '/')).toBe('/t/acme')
    expect(toCacheKey('/t/caf%c3%a9', '/a:b')).toBe(toCacheKey('/t/café', '/a%3Ab'))
  })
})
