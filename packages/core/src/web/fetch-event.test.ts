import { describe, expect, it } from 'vitest'
import { NextFetchEvent, waitUntilPromiseOf } from './fetch-event.js'
import { NextRequest } from './next-request.js'

const request = new NextRequest('http://localhost/a')

describe('NextFetchEvent', () => {
  it('waitUntil goes to the waitUntil it was built with (Routeware passes its own: as after(promise))', () => {
    const given: Promise<unknown>[] = []
    const event = new NextFetchEvent({ request, page: '/proxy', context: { waitUntil: (promise) => given.push(promise) } })
    const promise = Promise.resolve('done')
    event.waitUntil(promise)
    expect(given).toEqual([promise])
    expect(waitUntilPromiseOf(event)).toBeUndefined()
    expect(event.sourcePage).toBe('/proxy')
  })

  it('without one, the promises are collected for whoever built the event', async () => {
    const event = new NextFetchEvent({ request, page: '/middleware' })
    let settled = false
    event.waitUntil(new Promise((resolve) => setTimeout(resolve, 5)).then(() => void (settled = true)))
    await waitUntilPromiseOf(event)
    expect(settled).toBe(true)
  })

  it("request and respondWith() are the removed middleware signature: Next's error", () => {
    const event = new NextFetchEvent({ request, page: '/middleware' })
    expect(() => event.request).toThrow(/The middleware "\/middleware" accepts an async API directly with the form:[\s\S]*https:\/\/nextjs\.org\/docs\/messages\/middleware-new-signature/)
    expect(() => event.respondWith()).toThrow(/middleware-new-signature/)
    expect(() => event.passThroughOnException()).not.toThrow()
  })
})
