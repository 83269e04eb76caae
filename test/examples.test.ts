/** The examples, run as a user runs them: `node examples/<host>/server.mjs`, then every documented request, and the index at `/`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const children: ChildProcess[] = []
afterAll(() => {
  for (const child of children) child.kill('SIGTERM')
})

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => output, exited }
}

interface Row {
  path: string
  methods: string[]
  config: Record<string, unknown>
  file: string
}
interface IndexEntry extends Row {
  href: string
  curl: string[]
}

/** `routeware routes --json examples/app`: the table, as the CLI prints it (the built bin, in a child process). */
function cliTable(): Promise<Row[]> {
  const cli = fileURLToPath(new URL('../packages/core/dist/cli/main.js', import.meta.url))
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'routes', '--json', 'examples/app'], { cwd: root, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(error)
      else resolve((JSON.parse(stdout) as { routes: Row[] }).routes)
    })
  })
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
/** Routes whose GET needs something a plain link cannot send (none in the example today): not requested below. */
const needsMoreThanALink = new Set<string>()

for (const host of ['express', 'fastify']) {
  describe(`examples/${host}`, () => {
    let server: ReturnType<typeof run>
    let origin: string
    beforeAll(async () => {
      const port = await freePort()
      origin = `http://127.0.0.1:${port}`
      server = run([`examples/${host}/server.mjs`], { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' })
      for (let i = 0; i < 100 && !server.output().includes('listening on'); i++) await new Promise((r) => setTimeout(r, 100))
    }, 30000)
    afterAll(async () => {
      server.child.kill('SIGTERM')
      await server.exited
    })

    it('starts on PORT and answers every request of examples/README.md', async () => {
      expect(server.output()).toContain(origin)
      // examples/instrumentation.ts, beside app/: register() ran before the server listened.
      expect(server.output()).toContain('instrumentation: register() ran (NEXT_RUNTIME=nodejs)')
      const smoke = run(['examples/smoke.mjs', origin])
      const code = await smoke.exited
      expect(smoke.output()).toMatch(/\d+ passed, 0 failed/)
      expect(code).toBe(0)
    }, 30000)

    it('logs the served routes once at start-up, through the host logger: one line with the count (production)', async () => {
      const table = await cliTable()
      const line = `routeware: serving ${table.length} routes from ./examples/app`
      expect(server.output().split(line).length - 1).toBe(1)
      // The count line comes before the server listens, and no table follows it outside dev.
      expect(server.output().indexOf(line)).toBeLessThan(server.output().indexOf('listening on'))
      expect(server.output()).not.toContain('Route  Methods')
    })

    it('GET / with Accept: application/json lists exactly the route table `routeware routes --json` prints', async () => {
      const res = await fetch(`${origin}/`, { headers: { accept: 'application/json' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(res.headers.get('vary')).toMatch(/accept/i)
      const { routes } = (await res.json()) as { routes: IndexEntry[] }
      const table = await cliTable()
      expect(table.length).toBeGreaterThan(10)
      expect(routes.map(({ href: _href, curl: _curl, ...row }) => row)).toEqual(table)
      for (const entry of routes) {
        expect(entry.curl).toHaveLength(entry.methods.length)
        entry.methods.forEach((method, i) => {
          expect(entry.curl[i]).toContain(`curl -i ${method === 'GET' ? '' : `-X ${method} `}'${origin}${entry.href}'`)
        })
        // A dynamic segment is never left as its pattern.
        expect(entry.href).not.toMatch(/\[/)
      }
    })

    it('GET / answers an HTML page with each route: methods, a link for GET, its curl lines, all escaped', async () => {
      const res = await fetch(`${origin}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      const html = await res.text()
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
      const { routes } = (await (await fetch(`${origin}/`, { headers: { accept: 'application/json' } })).json()) as { routes: IndexEntry[] }
      for (const entry of routes) {
        const link = `<a href="${escapeHtml(entry.href)}">${escapeHtml(entry.path)}</a>`
        if (entry.methods.includes('GET')) expect(html).toContain(link)
        else expect(html).not.toContain(link)
        for (const line of entry.curl) expect(html).toContain(`<code>${escapeHtml(line)}</code>`)
        expect(html).toContain(`<td>${escapeHtml(entry.methods.join(', '))}</td>`)
      }
      // curl's default Accept (*/*) gets the page too.
      const plain = await fetch(`${origin}/`, { headers: { accept: '*/*' } })
      expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8')
    })

    it('every GET link the index lists answers, none with a 5xx', async () => {
      const { routes } = (await (await fetch(`${origin}/`, { headers: { accept: 'application/json' } })).json()) as { routes: IndexEntry[] }
      const links = routes.filter((entry) => entry.methods.includes('GET') && !needsMoreThanALink.has(entry.path))
      expect(links.length).toBeGreaterThan(10)
      for (const entry of links) {
        const res = await fetch(`${origin}${entry.href}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) })
        await res.arrayBuffer()
        expect(res.status, `GET ${entry.href} (${entry.file})`).toBeLessThan(500)
        // A sample value is one the route serves: no 404 from a made-up slug.
        expect(res.status, `GET ${entry.href} (${entry.file}): give its dynamic segments a sample in examples/app/_lib/route-index.ts`).not.toBe(404)
      }
    }, 30000)
  })
}
