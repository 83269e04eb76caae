/** The `routeware` bin, run as users run it: the built `dist/cli/main.js` in a child process, on fixture trees on disk. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CORE = fileURLToPath(new URL('../../', import.meta.url))
const CLI = join(CORE, 'dist/cli/main.js')
const FIXTURES = join(CORE, 'test-fixtures/cli')
const fixture = (name: string) => join(FIXTURES, name, 'app')
const VERSION = (JSON.parse(await readFile(join(CORE, 'package.json'), 'utf8')) as { version: string }).version

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Run a node script; never rejects, the exit code is part of the result. */
function runNode(args: string[], cwd = CORE): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: unknown }).code as number | null) : 0, stdout, stderr })
    })
  })
}

const routeware = (args: string[], cwd?: string) => runNode([CLI, ...args], cwd)

let temp: string
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx turbo run build).`)
  temp = await mkdtemp(join(tmpdir(), 'routeware-cli-'))
})
afterAll(async () => {
  await rm(temp, { recursive: true, force: true })
})

describe('routeware routes', () => {
  it('prints the route table in precedence order: path, methods, segment config, file', async () => {
    const run = await routeware(['routes', fixture('basic')])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    await expect(run.stdout).toMatchFileSnapshot('./__snapshots__/routes-basic.txt')
    // Static before [param] at one level; groups leave the URL; _private is neither listed nor loaded.
    const paths = run.stdout.split('\n').slice(1, -1).map((line) => line.split(/\s+/)[0])
    expect(paths).toEqual(['/', '/cart', '/docs/[...slug]', '/shop/[[...rest]]', '/users', '/users/me', '/users/[id]'])
  })

  it('--json prints the same table for machines', async () => {
    const run = await routeware(['routes', '--json', fixture('basic')])
    expect(run.code).toBe(0)
    const { routes } = JSON.parse(run.stdout) as { routes: { path: string; methods: string[]; config: Record<string, unknown>; file: string }[] }
    expect(routes.find((r) => r.path === '/users/[id]')).toEqual({
      path: '/users/[id]',
      methods: ['GET', 'DELETE'],
      config: { dynamic: 'force-dynamic', revalidate: 60, maxDuration: 5 },
      file: 'users/[id]/route.ts',
    })
    expect(routes.find((r) => r.path === '/cart')!.config).toEqual({ runtime: 'nodejs', revalidate: false, generateStaticParams: '[Function]' })
    await expect(run.stdout).toMatchFileSnapshot('./__snapshots__/routes-basic.json')
  })

  it('takes the dir relative to the working directory, or as a file: URL', async () => {
    const expected = (await routeware(['routes', fixture('basic')])).stdout
    expect(await routeware(['routes', 'basic/app'], FIXTURES)).toEqual({ code: 0, stdout: expected, stderr: '' })
    expect(await routeware(['routes', pathToFileURL(fixture('basic')).href], temp)).toEqual({ code: 0, stdout: expected, stderr: '' })
  })

  it('a refused tree prints Next\'s message and the files to stderr, and exits 1', async () => {
    const run = await routeware(['routes', fixture('refused')])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('Ambiguous app routes detected:\n\nAmbiguous route pattern "/blog/[*]" matches multiple routes:\n  - /blog/[id]\n  - /blog/[slug]')
    expect(run.stderr).toContain(`in ${join(fixture('refused'), 'blog/[id]/route.ts')}`)
    expect(run.stderr).toContain(`in ${join(fixture('refused'), 'blog/[slug]/route.ts')}`)
  })

  it('a route file that fails to load is named with its line, and exits 1', async () => {
    const run = await routeware(['routes', fixture('broken')])
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    const file = join(fixture('broken'), 'broken/route.ts')
    expect(run.stderr).toContain(`Failed to load route file ${file}`)
    expect(run.stderr).toMatch(new RegExp(`${file.replace(/[[\]\\/.]/g, '\\$&')}:4:\\d`))
    expect(run.stderr).not.toContain(join(fixture('broken'), 'ok/route.ts'))
  })

  it('Next\'s export diagnostics go to stderr; the table still prints', async () => {
    const run = await routeware(['routes', fixture('warnings')])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^\/default-export\s+-\s+-\s+default-export\/route\.ts$/m)
    const file = join(fixture('warnings'), 'default-export/route.ts')
    expect(run.stderr).toContain(`Detected default export in '${file}'. Export a named export for each HTTP method instead.`)
    expect(run.stderr).toContain(`Detected lowercase method 'get' in '${file}'. Export the uppercase 'GET' method name to fix this error.`)
  })
})

/** What `createHandler` does with `dir` in a child process on plain Node, as a server starts: the load error (if any) and what it logged. */
async function serverLoad(dir: string): Promise<{ code?: string; message?: string; files?: string[]; logs: string[] }> {
  const script = `
const { createHandler } = await import(${JSON.stringify(pathToFileURL(join(CORE, 'dist/index.js')).href)})
const logs = []
const log = (...args) => logs.push(args.map(String).join(' '))
try {
  const handle = await createHandler({ dir: ${JSON.stringify(dir)}, dev: false, logger: { error: log, warn: log, info: log } })
  await handle.close()
  console.log(JSON.stringify({ logs }))
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message, files: error.files, logs }))
}
process.exit(0)
`
  const run = await runNode(['--input-type=module', '-e', script])
  if (run.code !== 0) throw new Error(`the server script failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as { code?: string; message?: string; files?: string[]; logs: string[] }
}

const REFUSED = fileURLToPath(new URL('../../../../test/fixtures/refused/', import.meta.url))

describe('issue #11: routeware routes refuses exactly what the server refuses', () => {
  const trees: [string, string][] = [
    ...['ambiguous-slugs', 'optional-beside-route', 'optional-beside-root', 'groups-one-path', 'catch-all-not-last', 'repeated-slug', 'required-and-optional', 'optional-param'].map(
      (name): [string, string] => [`test/fixtures/refused/${name}`, join(REFUSED, name, 'app')],
    ),
    ...['refused', 'broken', 'broken-many', 'broken-and-invalid', 'config-revalidate', 'config-dynamic', 'config-dynamic-params', 'config-many', 'instrumentation-broken'].map((name): [string, string] => [
      name,
      fixture(name),
    ]),
  ]

  it.concurrent.each(trees)('%s: the message createHandler rejects with, after the same diagnostics, and exit 1', async (_name, dir) => {
    const [cli, server] = await Promise.all([routeware(['routes', dir]), serverLoad(dir)])
    expect(server.code).toMatch(/^ROUTEWARE_/)
    expect(cli).toEqual({ code: 1, stdout: '', stderr: [...server.logs, server.message].join('\n') + '\n' })
  })

  it('an invalid segment config gets Next\'s message naming the route, the value and the file', async () => {
    const run = await routeware(['routes', fixture('config-revalidate')])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `Invalid segment configuration options detected for "/". Read more at https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config\n` +
        `  Invalid revalidate value -5 on "/", must be a non-negative number or false\n  in ${join(fixture('config-revalidate'), 'route.ts')}\n`,
    )
    expect((await routeware(['routes', fixture('config-dynamic')])).stderr).toContain(`Invalid dynamic value "nope" on "/feed", must be one of 'auto', 'error', 'force-static', 'force-dynamic'`)
    expect((await routeware(['routes', fixture('config-dynamic-params')])).stderr).toContain('Invalid dynamicParams value "x" on "/posts/[slug]", must be a boolean')
  })

  it('every file with an invalid segment config is named in one ROUTEWARE_INVALID_EXPORT error', async () => {
    const dir = fixture('config-many')
    const server = await serverLoad(dir)
    expect(server.code).toBe('ROUTEWARE_INVALID_EXPORT')
    const files = ['both/route.ts', 'list/[id]/route.ts', 'region/route.ts', 'slow/route.js'].map((f) => join(dir, f))
    expect(server.files).toEqual(files)
    for (const file of files) expect(server.message).toContain(`  in ${file}`)
    for (const problem of [
      'Invalid revalidate value -5 on "/both"',
      'Invalid dynamic value "nope" on "/both"',
      'Invalid generateStaticParams on "/list/[id]", must be a function',
      'Invalid preferredRegion value 42 on "/region"',
      'Invalid fetchCache value "sometimes" on "/region"',
      `Invalid runtime value "deno" on "/region", must be 'edge' or 'nodejs'`,
      'Invalid maxDuration value 1.5 on "/slow", must be a non-negative number',
    ]) {
      expect(server.message).toContain(problem)
    }
    expect(server.message).not.toContain(join(dir, 'ok/route.ts'))
  })

  it('every route file that fails to load is named in one ROUTEWARE_ROUTE_LOAD_FAILED error', async () => {
    const dir = fixture('broken-many')
    const server = await serverLoad(dir)
    expect(server.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    const files = ['a/route.ts', 'b/route.js', 'c/route.mjs'].map((f) => join(dir, f))
    expect(server.files).toEqual(files)
    for (const file of files) expect(server.message).toContain(`Failed to load route file ${file}: `)
    expect(server.message).toContain('ROUTEWARE_TEST_SETTING is not set')
    expect(server.message).not.toContain(join(dir, 'ok/route.ts'))
  })

  it('a file that fails to load refuses the tree before any segment config is read', async () => {
    const dir = fixture('broken-and-invalid')
    const server = await serverLoad(dir)
    expect(server.code).toBe('ROUTEWARE_ROUTE_LOAD_FAILED')
    expect(server.files).toEqual([join(dir, 'broken/route.js')])
  })

  it('an instrumentation file that fails to load is refused by both, naming the file', async () => {
    const file = join(FIXTURES, 'instrumentation-broken', 'instrumentation.ts')
    const server = await serverLoad(fixture('instrumentation-broken'))
    expect(server).toMatchObject({ code: 'ROUTEWARE_INSTRUMENTATION_FAILED', files: [file] })
    expect(server.message).toMatch(/^The instrumentation file .*instrumentation\.ts failed to load: SENTRY_DSN is not set\.\n {2}Fix the error in that file/)
  })

  it('the CLI imports the instrumentation file but never calls its register(): listing routes starts no SDK', async () => {
    const dir = fixture('instrumentation-register-throws')
    const [cli, server] = await Promise.all([routeware(['routes', dir]), serverLoad(dir)])
    expect(server.code).toBe('ROUTEWARE_INSTRUMENTATION_FAILED')
    expect(server.message).toContain('threw in register(): cannot reach the collector')
    expect(cli.code).toBe(0)
    expect(cli.stdout).toContain('/ok')
  })

  it('a default export and lowercase names are logged, not refused, by both (Next logs them and answers 405)', async () => {
    const dir = fixture('warnings')
    const [cli, server] = await Promise.all([routeware(['routes', dir]), serverLoad(dir)])
    expect(server.code).toBeUndefined()
    expect(server.logs.join('\n')).toContain('Detected default export in')
    expect(cli.code).toBe(0)
    expect(cli.stderr).toBe(server.logs.map((line) => `${line}\n`).join(''))
  })
})

describe('routeware routes: metadata files (issue #16)', () => {
  it('lists metadata routes and route.tsx files at their URLs, and warns on stderr of a route.* file it does not serve', async () => {
    const run = await routeware(['routes', '--json', fixture('metadata')])
    expect(run.code).toBe(0)
    const { routes } = JSON.parse(run.stdout) as { routes: { path: string; methods: string[]; config: Record<string, unknown>; file: string; metadata?: string }[] }
    expect(routes).toEqual([
      { path: '/og', methods: ['GET'], config: {}, file: 'og/route.tsx' },
      { path: '/opengraph-image', methods: ['GET'], config: {}, file: 'opengraph-image.tsx', metadata: 'opengraph-image' },
      { path: '/products/sitemap/[__metadata_id__]', methods: ['GET'], config: { revalidate: 3600 }, file: 'products/sitemap.ts', metadata: 'sitemap' },
      { path: '/robots.txt', methods: ['GET'], config: { dynamic: 'force-static' }, file: 'robots.txt', metadata: 'robots' },
      { path: '/sitemap.xml', methods: ['GET'], config: {}, file: 'sitemap.ts', metadata: 'sitemap' },
    ])
    expect(run.stderr).toContain(`${join(fixture('metadata'), 'og/route.mdx')} is not served`)
  })

  it('typegen lists them too', async () => {
    const run = await routeware(['typegen', fixture('metadata'), '--out', 'metadata.d.ts'], temp)
    expect(run).toEqual({ code: 0, stdout: 'Wrote metadata.d.ts (5 routes)\n', stderr: '' })
    const text = await readFile(join(temp, 'metadata.d.ts'), 'utf8')
    expect(text).toContain('  "/products/sitemap/[__metadata_id__]": { "__metadata_id__": string }\n')
    expect(text).toContain('    | "/robots.txt"\n')
  })
})

describe('routeware typegen', () => {
  it('writes routeware-env.d.ts beside the app dir, without loading route files', async () => {
    const root = join(temp, 'default-out')
    await cp(join(FIXTURES, 'basic'), root, { recursive: true })
    const run = await routeware(['typegen', 'app'], root)
    expect(run).toEqual({ code: 0, stdout: 'Wrote routeware-env.d.ts (7 routes)\n', stderr: '' })
    const text = await readFile(join(root, 'routeware-env.d.ts'), 'utf8')
    expect(text).toContain(
      'type AppRouteHandlerRoutes =\n    | "/"\n    | "/cart"\n    | "/docs/[...slug]"\n    | "/shop/[[...rest]]"\n    | "/users"\n    | "/users/me"\n    | "/users/[id]"\n',
    )
    await expect(text).toMatchFileSnapshot('./__snapshots__/typegen-basic.txt')

    // Run again: the file is left alone.
    const before = (await stat(join(root, 'routeware-env.d.ts'))).mtimeMs
    expect((await routeware(['typegen', 'app'], root)).stdout).toBe('routeware-env.d.ts is up to date (7 routes)\n')
    expect((await stat(join(root, 'routeware-env.d.ts'))).mtimeMs).toBe(before)
  })

  it('--out writes where it is told, relative to the working directory', async () => {
    const run = await routeware(['typegen', fixture('basic'), '--out', 'types/routes.d.ts'], temp)
    expect(run).toEqual({ code: 0, stdout: `Wrote ${join('types', 'routes.d.ts')} (7 routes)\n`, stderr: '' })
    expect(await readFile(join(temp, 'types/routes.d.ts'), 'utf8')).toContain('"/users/[id]": { "id": string }')
  })

  it('a refused tree writes nothing and exits 1', async () => {
    const run = await routeware(['typegen', fixture('refused'), '--out', 'refused.d.ts'], temp)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Ambiguous route pattern "/blog/[*]" matches multiple routes:')
    expect(existsSync(join(temp, 'refused.d.ts'))).toBe(false)
  })

  it('the declarations make RouteContext global and reject a route literal that names no route', async () => {
    const project = join(temp, 'tsc')
    await cp(join(FIXTURES, 'basic'), project, { recursive: true })
    expect((await routeware(['typegen', 'app'], project)).code).toBe(0)
    const usage = `
export async function GET(_request: unknown, { params }: RouteContext<'/users/[id]'>) {
  const { id } = await params
  const text: string = id
  // @ts-expect-error not a param of /users/[id]
  const { userId } = await params
  return [text, userId]
}
export async function docs(_request: unknown, { params }: RouteContext<'/docs/[...slug]'>) {
  const slug: string[] = (await params).slug
  return slug
}
export async function shop(_request: unknown, { params }: RouteContext<'/shop/[[...rest]]'>) {
  const { rest } = await params
  const maybe: string[] | undefined = rest
  // @ts-expect-error an optional catch-all may be missing
  const sure: string[] = rest
  return [maybe, sure]
}
export const none: RouteContext<'/cart'> = { params: Promise.resolve({}) }
export const all: AppRouteHandlerRoutes[] = ['/', '/users/[id]']
`
    await writeFile(join(project, 'usage.ts'), `${usage}// @ts-expect-error '/user/[id]' is a typo: not a route\nexport type Typo = RouteContext<'/user/[id]'>\n`)
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: [] },
        include: ['usage.ts', 'routeware-env.d.ts'],
      }),
    )
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const ok = await runNode([tsc, '-p', project])
    expect(ok.stdout + ok.stderr).toBe('')
    expect(ok.code).toBe(0)

    // Without the directive, the typo is the one error, and tsc names the literal.
    await writeFile(join(project, 'usage.ts'), `${usage}export type Typo = RouteContext<'/user/[id]'>\n`)
    const typo = await runNode([tsc, '-p', project])
    expect(typo.code).not.toBe(0)
    expect(typo.stdout).toMatch(/usage\.ts\(\d+,\d+\): error TS2344: Type '"\/user\/\[id\]"' does not satisfy the constraint 'AppRouteHandlerRoutes'/)
    expect(typo.stdout.match(/error TS/g)).toHaveLength(1)
  }, 60_000)
})

describe.concurrent('usage', () => {
  it('--version prints the package version', async () => {
    expect(await routeware(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
    expect((await routeware(['-v'])).stdout).toBe(`${VERSION}\n`)
  })

  it('--help and help print the overview', async () => {
    const run = await routeware(['--help'])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toMatch(/^Usage: routeware <command> \[options\]/)
    expect(run.stdout).toContain('routes <dir>')
    expect(run.stdout).toContain('typegen <dir>')
    expect((await routeware(['help'])).stdout).toBe(run.stdout)
  })

  it.each(['routes', 'typegen'])('%s: --help, -h and help <command> print the command help', async (command) => {
    const run = await routeware([command, '--help'])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toMatch(new RegExp(`^Usage: routeware ${command} <dir>`))
    expect((await routeware([command, '-h'])).stdout).toBe(run.stdout)
    expect((await routeware(['help', command])).stdout).toBe(run.stdout)
  })

  it.each([
    ['no command', [], /^routeware: Missing command\.\n\nUsage: routeware <command>/],
    ['an unknown command', ['serve', 'app'], /^routeware: Unknown command: serve\nRun "routeware --help" for usage\.\n$/],
    ['an unknown global option', ['--verbose'], /^routeware: Unknown option: --verbose\n/],
    ['help for an unknown command', ['help', 'serve'], /^routeware: Unknown command: serve\n/],
    ['a missing dir', ['routes'], /^routeware: Missing <dir>: pass the app directory, e\.g\. routeware routes \.\/app\nRun "routeware routes --help" for usage\.\n$/],
    ['a missing dir (typegen)', ['typegen'], /^routeware: Missing <dir>.*\nRun "routeware typegen --help" for usage\.\n$/],
    ['a dir that does not exist', ['routes', 'test-fixtures/cli/nope'], /^routeware: The app directory .*nope does not exist\.\n/],
    ['a dir that is a file', ['typegen', 'package.json'], /^routeware: The app directory .*package\.json is not a directory\./],
    ['an unknown option', ['routes', '--jsn', 'app'], /^routeware: Unknown option '--jsn'/],
    ['two dirs', ['routes', 'a', 'b'], /^routeware: Expected one <dir>, got 2: a b\n/],
    ['--out without a value', ['typegen', 'app', '--out'], /^routeware: Option '-o, --out <value>' argument missing/],
  ])('%s is bad usage: exit 2, the error on stderr', async (_name, args, stderr) => {
    const run = await routeware(args)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(stderr)
  })
})

describe('routeware routes with a proxy file', () => {
  it('shows the proxy file and its matchers above the table', async () => {
    const run = await routeware(['routes', fixture('proxy')])
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      'Proxy: proxy.ts',
      '  matcher: /api/:path*',
      '  matcher: /flag  has header x-flag=on  missing cookie skip',
      '',
      expect.stringMatching(/^Route\s+Methods\s+Config\s+File$/),
    ])
    expect(run.stdout).toContain('/hello')
  })

  it('--json carries the proxy beside the routes', async () => {
    const run = await routeware(['routes', '--json', fixture('proxy')])
    const parsed = JSON.parse(run.stdout) as { proxy: unknown; routes: Array<{ path: string }> }
    expect(parsed.proxy).toEqual({ file: 'proxy.ts', matchers: ['/api/:path*', '/flag  has header x-flag=on  missing cookie skip'] })
    expect(parsed.routes.map((r) => r.path)).toEqual(['/hello'])
  })
})
