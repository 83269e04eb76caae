import { describe, expect, it } from 'vitest'
import { canonicalize, splitPath, splitRaw } from './canonical.js'

const canon = (raw: string, trailingSlash = false) => canonicalize(raw, trailingSlash)

describe('canonicalize', () => {
  it.each(['/', '/a', '/a/b', '/users/42', '/api/hello.json', '/a%20b', '/caf%C3%A9', '/a%2Fb', '/a%5Cb', '/a+b', '/.well-known/x'])(
    'leaves the canonical path %s unchanged',
    (path) => {
      expect(canon(path)).toEqual({ path, changed: false, malformed: false })
    },
  )

  it.each(['/', '/a/', '/a/b/', '/api/hello.json', '/.well-known/x', '/.well-known/x/'])('leaves %s unchanged with trailingSlash: true', (path) => {
    expect(canon(path, true)).toEqual({ path, changed: false, malformed: false })
  })

  it('applies trailingSlash as Next does (B12)', () => {
    expect(canon('/a/')).toEqual({ path: '/a', changed: true, malformed: false })
    expect(canon('/a/b/')).toMatchObject({ path: '/a/b', changed: true })
    expect(canon('/a', true)).toEqual({ path: '/a/', changed: true, malformed: false })
    expect(canon('/a/b', true)).toMatchObject({ path: '/a/b/', changed: true })
    // A last segment with a file extension is never slashed.
    expect(canon('/x.json/', true)).toEqual({ path: '/x.json', changed: true, malformed: false })
    expect(canon('/api/hello.json', true)).toMatchObject({ path: '/api/hello.json', changed: false })
    // A dotted last segment that does not end like a file is served either way (Next's two rules miss it).
    expect(canon('/v1.2-beta', true)).toMatchObject({ changed: false })
    expect(canon('/v1.2-beta/', true)).toMatchObject({ changed: false })
    expect(canon('/x.json/', true)).toMatchObject({ path: '/x.json', changed: true })
    // .well-known is exempt from the trailingSlash: true rules.
    expect(canon('/.well-known/x', true)).toMatchObject({ changed: false })
    expect(canon('/.well-known/x/', true)).toMatchObject({ changed: false })
    expect(canon('/.well-known/x.json/', true)).toMatchObject({ changed: false })
  })

  it('collapses repeated slashes (B13)', () => {
    expect(canon('//a///b')).toEqual({ path: '/a/b', changed: true, malformed: false })
    expect(canon('//')).toMatchObject({ path: '/', changed: true })
    expect(canon('//a//', true)).toMatchObject({ path: '/a/', changed: true })
  })

  it('reads backslashes as slashes', () => {
    expect(canon('/a\\b')).toEqual({ path: '/a/b', changed: true, malformed: false })
    expect(canon('\\a\\\\b\\')).toMatchObject({ path: '/a/b', changed: true })
    expect(canon('/a\\..\\b')).toMatchObject({ path: '/b', changed: true })
  })

  it.each([
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/a/b/..', '/a'],
    ['/../a', '/a'],
    ['/a/%2e%2e/b', '/b'],
    ['/a/%2E%2E/b', '/b'],
    ['/a/%2e./b', '/b'],
    ['/a/%2E/b', '/a/b'],
    ['/a/.', '/a'],
  ])('resolves dot segments: %s -> %s', (raw, path) => {
    expect(canon(raw)).toEqual({ path, changed: true, malformed: false })
  })

  it('decodes percent-encoded unreserved characters', () => {
    expect(canon('/%61dmin')).toEqual({ path: '/admin', changed: true, malformed: false })
    expect(canon('/%41%2D%5F%7E%2E')).toMatchObject({ path: '/A-_~.', changed: true })
    expect(canon('/a%2eb')).toMatchObject({ path: '/a.b', changed: true })
  })

  it.each(['/a%2Fb', '/a%2fb', '/a%5Cb', '/a%5cb', '/a%20b', '/a%25b', '/%C3%A9', '/a%3Fb', '/a%23b'])('keeps the reserved or non-ASCII escape in %s', (path) => {
    expect(canon(path)).toEqual({ path, changed: false, malformed: false })
  })

  it.each(['/%zz', '/a%', '/a%/b', '/%0', '/a/%0/b', '/%g0', '/%%41', '/%00', '/a%00b', '/%00/'])('flags %s as malformed', (raw) => {
    expect(canon(raw).malformed).toBe(true)
  })

  it('does not flag an escape of a non-NUL control character', () => {
    expect(canon('/a%01b').malformed).toBe(false)
  })
})

describe('splitPath', () => {
  it('splits the root and plain paths', () => {
    expect(splitPath('/')).toEqual([])
    expect(splitPath('/a')).toEqual(['a'])
    expect(splitPath('/a/b/c')).toEqual(['a', 'b', 'c'])
    expect(splitPath('/a/b/')).toEqual(['a', 'b'])
  })

  it('decodes each segment exactly once (B8)', () => {
    expect(splitPath('/blog/a%2520b')).toEqual(['blog', 'a%20b'])
    expect(splitPath('/blog/%25')).toEqual(['blog', '%'])
    expect(splitPath('/blog/a+b')).toEqual(['blog', 'a+b'])
    expect(splitPath('/blog/a%20b')).toEqual(['blog', 'a b'])
    expect(splitPath('/blog/caf%C3%A9')).toEqual(['blog', 'café'])
  })

  it('keeps %2F and %5C inside one segment', () => {
    expect(splitPath('/blog/a%2Fb/c')).toEqual(['blog', 'a/b', 'c'])
    expect(splitPath('/blog/a%2fb')).toEqual(['blog', 'a/b'])
    expect(splitPath('/blog/a%5Cb')).toEqual(['blog', 'a\\b'])
  })

  it('returns undefined for invalid UTF-8, malformed escapes and NUL', () => {
    expect(splitPath('/blog/%C3')).toBeUndefined()
    expect(splitPath('/blog/%A0')).toBeUndefined()
    expect(splitPath('/blog/%zz')).toBeUndefined()
    expect(splitPath('/blog/%')).toBeUndefined()
    expect(splitPath('/blog/%00')).toBeUndefined()
    expect(splitPath('/blog/a%00b')).toBeUndefined()
  })
})

describe('splitRaw', () => {
  it('splits without decoding', () => {
    expect(splitRaw('/')).toEqual([])
    expect(splitRaw('/blog/%zz/')).toEqual(['blog', '%zz'])
    expect(splitRaw('/a%2Fb/c')).toEqual(['a%2Fb', 'c'])
  })
})
