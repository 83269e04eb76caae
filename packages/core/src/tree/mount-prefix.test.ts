import { describe, expect, it } from 'vitest'
import { createMountPrefix } from './mount-prefix.js'

describe('createMountPrefix', () => {
  it('returns a static prefix as it is, `::` unescaped', () => {
    expect(createMountPrefix('')('/x')).toBe('')
    expect(createMountPrefix('/api')('/anything')).toBe('/api')
    expect(createMountPrefix('/a::b')('/a:b/x')).toBe('/a:b')
  })
  it('resolves whole-segment parameters from the path', () => {
    const prefix = createMountPrefix('/t/:tenant/v1')
    expect(prefix('/t/acme/v1/x')).toBe('/t/acme/v1')
    expect(prefix('/t/acme/v1')).toBe('/t/acme/v1')
    expect(prefix('/t/acme/v1?q=/x')).toBe('/t/acme/v1')
    expect(prefix('/t/acme?/v1')).toBeUndefined()
    expect(prefix('/t/acme/v2/x')).toBeUndefined()
    expect(prefix('/t//v1/x')).toBeUndefined()
    expect(prefix('/u/acme/v1')).toBeUndefined()
    expect(prefix('/t/acme')).toBeUndefined()
  })
  it('refuses what it cannot resolve, naming the option and the fix', () => {
    for (const pattern of ['/t/:id(^\\d+$)', '/t/:a-:b', '/t/*', '/t/x:y']) {
      expect(() => createMountPrefix(pattern)).toThrow(expect.objectContaining({ code: 'ROUTEWARE_INVALID_OPTION', message: expect.stringMatching(/`prefix`.*whole-segment parameters.*app\/t\/\[tenant\]/s) }))
    }
  })
})
