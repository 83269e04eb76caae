import { describe, expect, it } from 'vitest'
import { formatSegment, formatShape, parseFolder, SegmentError } from './segment.js'

describe('parseFolder', () => {
  it.each([
    ['blog', { kind: 'static', value: 'blog' }],
    ['hello.json', { kind: 'static', value: 'hello.json' }],
    ['.well-known', { kind: 'static', value: '.well-known' }],
    ['[id]', { kind: 'dynamic', name: 'id' }],
    ['[hello-world]', { kind: 'dynamic', name: 'hello-world' }],
    ['[...rest]', { kind: 'catchAll', name: 'rest' }],
    ['[[...opt]]', { kind: 'optionalCatchAll', name: 'opt' }],
    ['(group)', { kind: 'group', value: '(group)' }],
    ['@slot', { kind: 'slot', value: '@slot' }],
    ['_private', { kind: 'private', value: '_private' }],
    ['_', { kind: 'private', value: '_' }],
    ['[constructor]', { kind: 'dynamic', name: 'constructor' }],
    ['[__proto__]', { kind: 'dynamic', name: '__proto__' }],
  ])('reads %s', (folder, expected) => {
    expect(parseFolder(folder)).toEqual(expected)
  })

  it('turns a leading %5F into a literal underscore (Next B2)', () => {
    expect(parseFolder('%5Fsomething')).toEqual({ kind: 'static', value: '_something' })
    expect(parseFolder('%5F')).toEqual({ kind: 'static', value: '_' })
    // Only the leading escape is special; the rest of the name stays as written.
    expect(parseFolder('a%5Fb')).toEqual({ kind: 'static', value: 'a%5Fb' })
  })

  // Next 16: build/validate-app-paths.ts `validateSegmentParam` over get-segment-param.ts's reading
  // (the B11 sorted-routes wording plus ` in route "<path>"`; a few cases now read differently).
  it.each([
    ['[....id]', `Segment names may not start with erroneous periods ('.id') in route "/x/[....id]".`],
    ['[..id]', `Segment names may not start with erroneous periods ('..id') in route "/x/[..id]".`],
    ['[[...id]', `Segment names may not start or end with extra brackets ('[...id') in route "/x/[[...id]".`],
    ['[[[...id]]', `Optional route parameters are not yet supported ("[[[...id]]") in route "/x/[[[...id]]".`],
    ['[...id]]', `Segment names may not start or end with extra brackets ('id]') in route "/x/[...id]]".`],
    ['[[...id]]]', `Segment names may not start or end with extra brackets ('id]') in route "/x/[[...id]]]".`],
    ['[[[...id]]]', `Optional route parameters are not yet supported ("[[[...id]]]") in route "/x/[[[...id]]]".`],
    ['[[blog]]', `Optional route parameters are not yet supported ("[[blog]]") in route "/x/[[blog]]".`],
    ['[…id]', `Detected a three-dot character ('…') in parameter "…id" in route "/x/[…id]". Did you mean ('...')?`],
    ['[[…id]]', `Detected a three-dot character ('…') in parameter "[…id]" in route "/x/[[…id]]". Did you mean ('...')?`],
    ['[]', `Parameter names cannot be empty in route "/x/[]".`],
  ])('refuses %s with Next 16’s message', (folder, message) => {
    let thrown: unknown
    try {
      parseFolder(folder)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(SegmentError)
    expect((thrown as SegmentError).render(`/x/${folder}`)).toBe(message)
  })
})

describe('formatSegment / formatShape', () => {
  it('prints each kind as Next does', () => {
    const kinds = ['blog', '[id]', '[...rest]', '[[...opt]]'].map((f) => parseFolder(f)) as Parameters<typeof formatSegment>[0][]
    expect(kinds.map(formatSegment)).toEqual(['blog', '[id]', '[...rest]', '[[...opt]]'])
    expect(kinds.map(formatShape)).toEqual(['blog', '[*]', '[...*]', '[[...*]]'])
  })
})
