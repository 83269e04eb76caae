/** The examples, run as a user runs them: `node examples/<host>/server.mjs`, then every documented request. */
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
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

for (const host of ['express', 'fastify']) {
  describe(`examples/${host}`, () => {
    it('starts on PORT and answers every request of examples/README.md', async () => {
      const port = await freePort()
      const server = run([`examples/${host}/server.mjs`], { PORT: String(port), HOST: '127.0.0.1' })
      for (let i = 0; i < 100 && !server.output().includes('listening on'); i++) await new Promise((r) => setTimeout(r, 100))
      expect(server.output()).toContain(`http://127.0.0.1:${port}`)
      // examples/instrumentation.ts, beside app/: register() ran before the server listened.
      expect(server.output()).toContain('instrumentation: register() ran (NEXT_RUNTIME=nodejs)')
      const smoke = run(['examples/smoke.mjs', `http://127.0.0.1:${port}`])
      const code = await smoke.exited
      expect(smoke.output()).toMatch(/\d+ passed, 0 failed/)
      expect(code).toBe(0)
      server.child.kill('SIGTERM')
      await server.exited
    }, 30000)
  })
}
