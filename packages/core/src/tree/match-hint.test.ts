import { describe, expect, it } from 'vitest'
import { buildRoutes } from './build.js'
import { fitsSegments, isUsableHint } from './match-hint.js'

const definition = (path: string) => {
  const relFile = (path === '/' ? '' : path.slice(1) + '/') + 'route.ts'
  return buildRoutes([{ relFile, file: `/app/${relFile}` }])[0]!
}
const split = (url: string) => (url === '/' ? [] : url.slice(1).split('/'))

describe('fitsSegments', () => {
  it.each([
    ['/', '/', true],
    ['/', '/a', false],
    ['/blog', '/blog', true],
    ['/blog', '/Blog', false],
    ['/blog', '/blog/x', false],
    ['/blog/[id]', '/blog/1', true],
    ['/blog/[id]', '/blog', false],
    ['/blog/[id]', '/blog/1/2', false],
    ['/blog/[id]', '/other/1', false],
    ['/docs/[...slug]', '/docs', false],
    ['/docs/[...slug]', '/docs/a', true],
    ['/docs/[...slug]', '/docs/a/b/c', true],
    ['/docs/[[...slug]]', '/docs', true],
    ['/docs/[[...slug]]', '/docs/a/b', true],
    ['/docs/[[...slug]]', '/other', false],
    ['/[[...all]]', '/', true],
  ])('%s on %s: %s', (path, url, expected) => {
    expect(fitsSegments(definition(path), split(url))).toBe(expected)
  })
})

describe('isUsableHint', () => {
  it('refuses a path a host router may have cut at a delimiter', () => {
    expect(isUsableHint(definition('/[id]'), '/a', ['a'])).toBe(true)
    expect(isUsableHint(definition('/[id]'), '/a#b', ['a#b'])).toBe(false)
    expect(isUsableHint(definition('/[id]'), '/a;b', ['a;b'])).toBe(false)
  })
})
