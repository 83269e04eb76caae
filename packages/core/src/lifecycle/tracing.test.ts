import { trace } from '@opentelemetry/api'
import { afterEach, expect, it } from 'vitest'
import type { HostRequest, Outgoing } from '../seam.js'
import { loadTracing, resetTracing, traceHandler, traceRequest, tracingOn } from './tracing.js'

afterEach(() => resetTracing())

const host = { method: 'GET', url: '/x', basePath: '', fullUrl: () => 'http://localhost/x', headers: () => new Headers(), body: () => null, signal: () => new AbortController().signal } satisfies HostRequest
const answer: Outgoing = { status: 200, statusText: '', headers: [], body: null }

it('without @opentelemetry/api: nothing loaded, every call goes straight through', async () => {
  await loadTracing(() => Promise.reject(Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: 'ERR_MODULE_NOT_FOUND' })))
  expect(tracingOn()).toBe(false)
  expect(traceRequest(host, '/x', () => answer)).toBe(answer)
  expect(traceHandler('/x', () => 42)).toBe(42)
})

it('imports the API once per process, however many routers load', async () => {
  let imports = 0
  const importApi = () => {
    imports++
    return import('@opentelemetry/api')
  }
  await Promise.all([loadTracing(importApi), loadTracing(importApi)])
  await loadTracing(importApi)
  expect(imports).toBe(1)
})

it('with the API and no SDK registered (its no-op provider): off, no span, no wrapper, the same answer object', async () => {
  await loadTracing()
  expect(tracingOn()).toBe(false)
  expect(traceRequest(host, '/x', () => answer)).toBe(answer)
  expect(traceHandler('/x', () => trace.getActiveSpan())).toBeUndefined()
})
