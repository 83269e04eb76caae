/**
 * Issue #7, property tests. The trie matcher against a straightforward reference of Next's
 * precedence (sort every route with a per-segment comparator, first regex match wins), random
 * paths through `canonicalize` + `splitPath`, and random bytes as paths and header values sent
 * over raw sockets to every running target.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { buildRoutes, type RouteDefinition, type RouteFile } from '../packages/core/dist/tree/build.js'
import { createMatcher, readParams } from '../packages/core/dist/tree/match.js'
import { canonicalize, splitPath } from '../packages/core/dist/tree/canonical.js'
import type { Segment } from '../packages/core/dist/tree/segment.js'
import { fixture, forEachTarget } from './_suite.js'
import { requestBytes, sendRaw } from './_hostile.js'

// ---------------------------------------------------------------------------------------------
// The reference: Next's sorted-routes order, then the first route whose regex matches.

const RANK = { static: 0, dynamic: 1, catchAll: 2, optionalCatchAll: 3 } as const

/** Per segment: a route that ends first comes first; static < dynamic < catch-all < optional; statics by code unit. */
function compareRoutes(a: RouteDefinition, b: RouteDefinition): number {
  for (let i = 0; ; i++) {
    const x = a.segments[i]
    const y = b.segments[i]
    if (!x && !y) return 0
    if (!x) return -1
    if (!y) return 1
    if (RANK[x.kind] !== RANK[y.kind]) return RANK[x.kind] - RANK[y.kind]
    if (x.kind === 'static' && y.kind === 'static' && x.value !== y.value) return x.value < y.value ? -1 : 1
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Next's route regex (route-regex.ts), over the path with each segment percent-encoded. */
function routeRegex(definition: RouteDefinition): RegExp {
  let source = ''
  for (const segment of definition.segments) {
    if (segment.kind === 'static') source += `/${escapeRegex(encodeURIComponent(segment.value))}`
    else if (segment.kind === 'dynamic') source += '/([^/]+?)'
    else if (segment.kind === 'catchAll') source += '/(.+?)'
    else source += '(?:/(.+?))?'
  }
  return new RegExp(`^${source}(?:/)?$`)
}

/** Params as Next reads them from the regex groups: decoded, catch-alls split on `/` then decoded. */
function referenceParams(definition: RouteDefinition, groups: Array<string | undefined>): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {}
  let any = false
  let g = 0
  for (const segment of definition.segments) {
    if (segment.kind === 'static') continue
    any = true
    const raw = groups[g++]
    if (segment.kind === 'dynamic') params[segment.name] = decodeURIComponent(raw!)
    else if (raw !== undefined) params[segment.name] = raw.split('/').map(decodeURIComponent)
    else if (segment.kind === 'catchAll') params[segment.name] = []
  }
  return any ? params : undefined
}

function reference(sorted: RouteDefinition[], segments: readonly string[]) {
  const path = segments.length === 0 ? '/' : '/' + segments.map(encodeURIComponent).join('/')
  for (const definition of sorted) {
    const m = routeRegex(definition).exec(path)
    if (m) return { definition, params: referenceParams(definition, m.slice(1)) }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Generators: route trees within Next's rules (buildRoutes refuses the rest), and paths.

const STATIC_FOLDERS = ['a', 'b', 'ab', 'A', 'x.json', '%5Fu', 'constructor', '__proto__', 'é', 'a b', '-']
const FOLDERS = [...STATIC_FOLDERS, '(g)', '(h)', '_private', '[id]', '[slug]', '[...rest]', '[[...opt]]', '[...all]', '[[...maybe]]', '[constructor]']
/** URL segments that hit the statics above, plus a few that hit nothing. */
const URL_SEGMENTS = ['a', 'b', 'ab', 'A', 'x.json', '_u', '%5Fu', 'constructor', '__proto__', 'é', 'a b', '-', 'c', 'a/b', '(g)', '.', '%', 'toString']

const routeFiles = fc
  .uniqueArray(fc.array(fc.constantFrom(...FOLDERS), { maxLength: 4 }), { minLength: 1, maxLength: 14, selector: (folders) => folders.join('/') })
  .map((list): RouteFile[] => list.map((folders) => {
    const relFile = [...folders, 'route.ts'].join('/')
    return { relFile, file: `/app/${relFile}` }
  }))

const urlSegments = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...URL_SEGMENTS) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) }), { maxLength: 6 })

interface R {
  definition: RouteDefinition
}

/**
 * A rule of Next's every tree must keep: nothing after a catch-all or optional catch-all in a
 * route's URL (sorted-routes.ts: "Catch-all must be the last part of the URL."). `[...a]/[...b]`
 * breaks it too: Next 16's validate-app-paths lets it through, sorted-routes refuses it.
 */
function breaksCatchAllRule(files: RouteFile[]): boolean {
  return files.some((f) => {
    const folders = f.relFile.split('/').slice(0, -1)
    if (folders.some((x) => x.startsWith('_'))) return false
    const url = folders.filter((x) => !/^\(.*\)$/.test(x))
    const first = url.findIndex((x) => x.startsWith('[...') || x.startsWith('[[...'))
    return first !== -1 && first < url.length - 1
  })
}

function tryBuild(files: RouteFile[]): RouteDefinition[] | undefined {
  try {
    return buildRoutes(files)
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ROUTEWARE_')) return undefined
    throw error
  }
}

describe('matcher property tests (fast-check)', () => {
  it('the trie agrees with the sorted-routes reference on random trees and paths, and never throws', () => {
    let built = 0
    let matched = 0
    fc.assert(
      fc.property(routeFiles, fc.array(urlSegments, { minLength: 1, maxLength: 25 }), (files, paths) => {
        // Trees outside Next's rules are the next test's business.
        if (breaksCatchAllRule(files)) return
        const definitions = tryBuild(files)
        if (!definitions) return
        built++
        const matcher = createMatcher<R>(definitions.map((definition) => ({ definition })))
        const sorted = [...definitions].sort(compareRoutes)
        expect(matcher.list().map((r) => r.definition.path)).toEqual(sorted.map((d) => d.path))
        for (const segments of paths) {
          const expected = reference(sorted, segments)
          const got = matcher.match(segments)
          expect(got?.definition.path, `${JSON.stringify(segments)} in ${JSON.stringify(sorted.map((d) => d.path))}`).toBe(expected?.definition.path)
          if (got && expected) {
            matched++
            const params = readParams(got.definition, segments)
            expect(params, `params of ${JSON.stringify(segments)} on ${got.definition.path}`).toEqual(expected.params)
            if (params) expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
          }
        }
      }),
      { numRuns: 3000 },
    )
    // The generators must exercise something: accepted trees and real matches.
    expect(built).toBeGreaterThan(300)
    expect(matched).toBeGreaterThan(1000)
  })

  it('issue #7: a catch-all after a catch-all is refused, as Next does ("Catch-all must be the last part of the URL.")', () => {
    // Accepted, `/[...all]/[...rest]` would serve `/x` with `{ all: ['x'], rest: [] }`.
    for (const relFile of ['[...all]/[...rest]/route.ts', '[[...a]]/[[...b]]/route.ts', 'docs/[...all]/[...rest]/route.ts']) {
      expect(() => buildRoutes([{ relFile, file: `/app/${relFile}` }]), relFile).toThrow(/must be the last part of the URL/)
    }
  })

  it('buildRoutes refuses every tree with a segment after a catch-all, as Next does', () => {
    fc.assert(
      fc.property(routeFiles, (files) => {
        if (!breaksCatchAllRule(files)) return
        expect(tryBuild(files), `accepted ${JSON.stringify(files.map((f) => f.relFile))}`).toBeUndefined()
      }),
      { numRuns: 1000 },
    )
  })

  it('match() and readParams() never throw on arbitrary segment arrays', () => {
    fc.assert(
      fc.property(routeFiles, fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 8 }), (files, segments) => {
        const definitions = tryBuild(files)
        if (!definitions) return
        const got = createMatcher<R>(definitions.map((definition) => ({ definition }))).match(segments)
        if (got) readParams(got.definition, segments)
      }),
      { numRuns: 1000 },
    )
  })

  const rawPath = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => '/' + Buffer.from(bytes).toString('latin1')),
    fc.array(fc.constantFrom('/', '//', '\\', '.', '..', '%2e', '%2E', '%2f', '%5c', '%00', '%', '%2', '%zz', '%25', '%61', '%c3%a9', '%ff', 'a', 'é', '~', ';', ' '), { maxLength: 12 }).map((p) => '/' + p.join('')),
  )

  it('canonicalize + splitPath never throw, and a canonical path is canonical', () => {
    fc.assert(
      fc.property(rawPath, fc.boolean(), (raw, trailingSlash) => {
        const canonical = canonicalize(raw, trailingSlash)
        const segments = splitPath(canonical.path)
        // The invariants hold for origin-form paths (the adapters also see `*` and absolute-form).
        if (canonical.malformed || !raw.startsWith('/')) return
        expect(canonical.path.startsWith('/'), raw).toBe(true)
        expect(canonical.path, raw).not.toMatch(/\/\/|\\/)
        // Idempotent: the canonical form is left as it is.
        expect(canonicalize(canonical.path, trailingSlash), `${JSON.stringify(raw)} -> ${JSON.stringify(canonical.path)}`).toMatchObject({ path: canonical.path, changed: false })
        // No dot segment ever reaches a handler as a whole param.
        for (const segment of segments ?? []) expect(['.', '..', ''], `${JSON.stringify(raw)} -> ${JSON.stringify(segments)}`).not.toContain(segment)
      }),
      { numRuns: 5000 },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Random bytes as raw paths and header values: every target answers, and keeps serving.

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from('/' + s, 'utf8')),
  fc.array(fc.constantFrom('/', '//', '\\', '..', '%2e', '%2f', '%00', '%', '%zz', 'admin', 'public', 'secret', '?', '#', '\t', '\x7f', '\xff'), { maxLength: 10 }).map((p) => Buffer.from('/' + p.join(''), 'latin1')),
)

forEachTarget('random bytes over raw sockets', { options: { dir: fixture('guarded') } }, (t) => {
  t.test('random bytes as the path and as a header value never crash the server', async () => {
    await fc.assert(
      fc.asyncProperty(bytesArb, fc.uint8Array({ maxLength: 48 }), async (path, header) => {
        const res = await sendRaw(t.origin(), requestBytes(t.origin(), 'GET', path, [['x-random', Buffer.from(header)]]), 2000)
        expect(res.status, `no answer to ${JSON.stringify(path.toString('latin1'))} (${res.error ?? ''})`).toBeDefined()
        const ok = await t.raw('GET', '/public/still/up')
        expect(ok.status).toBe(200)
      }),
      { numRuns: 200 },
    )
  }, [], 30000)
})
