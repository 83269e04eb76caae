import { describe, expect, it } from 'vitest'
import type { RouteDefinition } from '@routeware/core/adapter'
import { toFastifyPaths } from './to-fastify-path.js'

type Segments = RouteDefinition['segments']
const s = (value: string) => ({ kind: 'static' as const, value })
const d = (name: string) => ({ kind: 'dynamic' as const, name })
const c = (name: string) => ({ kind: 'catchAll' as const, name })
const o = (name: string) => ({ kind: 'optionalCatchAll' as const, name })
const paths = (segments: Segments, slashTwins = false) => toFastifyPaths({ segments }, { slashTwins })

describe('toFastifyPaths', () => {
  it('writes the root and static paths as they are', () => {
    expect(paths([])).toEqual(['/'])
    expect(paths([s('blog'), s('x.json')])).toEqual(['/blog/x.json'])
    expect(paths([s('é'), s('a b'), s('(b)')])).toEqual(['/é/a b/(b)'])
  })

  it('names params after their segment index, whatever the folder called them', () => {
    expect(paths([s('blog'), d('hello-world'), s('comments'), d('id')])).toEqual(['/blog/:p1/comments/:p3'])
    expect(paths([d('__proto__')])).toEqual(['/:p0'])
  })

  it('writes catch-alls as find-my-way wildcards; an optional one also gets its parent path', () => {
    expect(paths([s('docs'), c('slug')])).toEqual(['/docs/*'])
    expect(paths([s('docs'), o('slug')])).toEqual(['/docs', '/docs/*'])
    expect(paths([o('all')])).toEqual(['/', '/*'])
  })

  it('escapes `:` in a static segment', () => {
    expect(paths([s('a:b'), s('::')])).toEqual(['/a::b/::::'])
  })

  it('turns a static segment with `*`, `?` or `#` into a param matching only that literal', () => {
    expect(paths([s('a*b')])).toEqual(['/:p0(^a\\*b$)'])
    expect(paths([s('x'), s('why?(1)')])).toEqual(['/x/:p1(^why\\?\\(1\\)$)'])
  })

  it('adds the trailing-slash twins when asked, never to the root or a wildcard', () => {
    expect(paths([], true)).toEqual(['/'])
    expect(paths([s('a'), d('id')], true)).toEqual(['/a/:p1', '/a/:p1/'])
    expect(paths([s('docs'), o('slug')], true)).toEqual(['/docs', '/docs/', '/docs/*'])
  })
})
