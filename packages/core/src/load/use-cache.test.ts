import * as acorn from 'acorn'
import { describe, expect, it } from 'vitest'
import { compileUseCache, hasUseCacheDirective, UnknownCacheKindError } from './use-cache.js'

describe("'use cache' compilation", () => {
  it('leaves a file without the directive alone', () => {
    expect(compileUseCache('export async function f() { return 1 }', acorn)).toBeUndefined()
    expect(hasUseCacheDirective('const s = "use cached"')).toBe(false)
    expect(hasUseCacheDirective("console.log('use cache')\nconst x = 'use cache';")).toBe(false)
    expect(hasUseCacheDirective("async function f() { 'use cache'; return 1 }")).toBe(true)
    expect(hasUseCacheDirective("'use cache'\nexport async function f() {}")).toBe(true)
    expect(hasUseCacheDirective('async function f() {\n  "use cache: remote"\n}')).toBe(true)
  })

  it('wraps a function-level directive, keyed by name and source hash, keeping every line number', () => {
    const source = "export async function getPost(id, { lang = 'en' }, ...rest) {\n  'use cache'\n  return [id, lang, rest]\n}\nexport function GET() {}\n"
    const out = compileUseCache(source, acorn)!
    expect(out.split('\n')).toHaveLength(source.split('\n').length)
    expect(out).toMatch(/^import \{ __useCache as __rwUseCache \} from "@routeware\/core\/cache";export async function getPost/)
    expect(out).toMatch(/return __rwUseCache\("getPost:[0-9a-f]{16}", \[id, lang, rest\], async \(\) => \{/)
    expect(out).not.toMatch(/'use cache'/)
  })

  it('a file-level directive wraps exported async functions but not the HTTP handlers nor sync functions', () => {
    const source = "'use cache'\nexport async function a() { return 1 }\nexport const b = async (x) => { return x }\nexport async function GET() { return new Response() }\nexport function c() { return 2 }\n"
    const out = compileUseCache(source, acorn)!
    expect(out).toContain('__rwUseCache("a:')
    expect(out).toContain('__rwUseCache("b:')
    expect(out).not.toContain('__rwUseCache("GET:')
    expect(out).not.toContain('__rwUseCache("c:')
    // The output is a module acorn parses.
    expect(() => acorn.parse(out, { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow()
  })

  it('a cached function inside another is keyed by the values it reads from the enclosing functions too', () => {
    const source = [
      'export async function GET(request, { params }) {',
      '  const { id } = await params',
      '  const lang = "en", format = (x) => x',
      '  function helper() { return 1 }',
      '  async function getItem(page) {',
      "    'use cache'",
      '    const local = 2',
      '    return format([id, lang, page, local, helper(), request.nextUrl.pathname.length, { id }.id])',
      '  }',
      '  const inner = async () => { "use cache"; return { lang } }',
      '  return Response.json([await getItem(1), await inner()])',
      '}',
      'export async function top(x) { "use cache"; return x }',
    ].join('\n')
    const out = compileUseCache(source, acorn)!
    // Read from GET: id, lang and request (parameters and variables); not format/helper (functions), not its own local.
    expect(out).toMatch(/__rwUseCache\("getItem:[0-9a-f]{16}", \[page, id, lang, request\], async/)
    expect(out).toMatch(/__rwUseCache\("inner:[0-9a-f]{16}", \[lang\], async/)
    expect(out).toMatch(/__rwUseCache\("top:[0-9a-f]{16}", \[x\], async/)
    expect(() => acorn.parse(out, { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow()
  })

  it("'use cache: remote' and ': default' compile as 'use cache'; ': private' passes its kind; any other kind is refused with Next's message", () => {
    const remote = compileUseCache("async function a() {\n  'use cache: remote'\n  return 1\n}\nasync function b() { 'use cache: default'; return 2 }", acorn)!
    expect(remote).toMatch(/__rwUseCache\("a:[0-9a-f]{16}", \[\], async \(\) => \{[\s\S]*\}\) \}/)
    expect(remote).not.toContain('"remote"')
    expect(remote).toContain('__rwUseCache("b:')
    const priv = compileUseCache("'use cache: private'\nexport async function mine() { return 1 }", acorn)!
    expect(priv).toMatch(/__rwUseCache\("mine:[0-9a-f]{16}", \[\], async \(\) => \{ return 1 \}, "private"\) \}/)
    expect(hasUseCacheDirective("async function f() { 'use cache: foo'; return 1 }")).toBe(true)
    expect(() => compileUseCache("async function f() { 'use cache: foo'; return 1 }", acorn)).toThrow(UnknownCacheKindError)
    expect(() => compileUseCache("async function f() { 'use cache: foo'; return 1 }", acorn)).toThrow('Unknown cache kind "foo". Please configure a cache handler for this kind in the `cacheHandlers` object in your Next.js config.')
  })
})
