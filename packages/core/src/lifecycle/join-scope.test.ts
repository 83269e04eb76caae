import { expect, it } from 'vitest'
import type { LoadedRoute } from '../load/load-table.js'
import { resolveOptions } from '../options.js'
import { runHandler, type RunInput } from '../pipeline/run.js'
import { createScope, currentScope } from '../scope/request-scope.js'
import type { HostRequest } from '../seam.js'
import { createNextRequest } from '../web/next-request.js'
import { after } from './after.js'
import { Lifecycle } from './lifecycle.js'

const quiet = { error() {}, warn() {}, info() {} }
const tick = () => new Promise((resolve) => setImmediate(resolve))

it('a run that began outside the scope joins it at its first after(): later calls, after an await, are its own', async () => {
  let sent: (() => void) | undefined
  const host: HostRequest = {
    method: 'GET',
    url: '/x',
    basePath: '',
    fullUrl: () => 'http://localhost/x',
    headers: () => new Headers(),
    body: () => null,
    signal: () => new AbortController().signal,
    onSent: (callback) => void (sent = callback),
  }
  const events: string[] = []
  const GET = async () => {
    after(() => events.push(`first, in scope: ${currentScope() !== undefined}`))
    await null
    after(() => events.push(`second, in scope: ${currentScope() !== undefined}`))
    return new Response('x')
  }
  const route = {
    definition: { file: '/app/x/route.ts', path: '/x' },
    exports: { handlers: { GET }, allow: 'GET, HEAD, OPTIONS', config: {} },
    policy: { cacheable: false, revalidate: false, forceStatic: false, dynamicError: false, generateStaticParams: undefined, dynamicParams: true, maxDuration: undefined },
  } as unknown as LoadedRoute
  const lifecycle = new Lifecycle(quiet, 1000)
  const input: RunInput = { route, source: host, params: undefined, options: resolveOptions({ dir: '/app', logger: quiet }), logger: quiet, control: undefined, path: '/x', lifecycle }
  // This process has not turned the scope on: the handler starts outside it.
  expect(createScope(createNextRequest(host, 0), undefined, { previewModeId: 'x'.repeat(32), dev: false }, host, undefined, undefined)).toBeUndefined()
  await runHandler(input, GET as never, false, host, undefined)
  // The caller's code after the handler's start is not left in the scope.
  expect(currentScope()).toBeUndefined()
  expect(lifecycle.queued).toBe(2)
  sent!()
  await tick()
  expect(events).toEqual(['first, in scope: true', 'second, in scope: true'])
})
