/** What Routeware registered at which URL, so a route the host adds later is refused naming it. */
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify'
import { RoutewareError } from '@routeware/core/adapter'

/** A route file (with its file), or the plugin's wildcard (without), at one URL for these methods. */
export interface RouteOwner {
  what: string
  file?: string
  methods: readonly HTTPMethods[]
}

/** The owners of the URLs Routeware registered, and the hook that checks later routes against them. */
export interface RouteOwners {
  /** Record that `owner` holds `url` (the full URL, prefix included). */
  add(url: string, owner: RouteOwner): void
  /**
   * Fastify's `onRoute` hook: a route added later at one of these URLs would fail with Fastify's
   * bare "already declared"; this throws `ROUTEWARE_ROUTE_COLLISION` naming the file (or the
   * wildcard) and the fix instead. Runs when routes are added, never per request.
   */
  onRoute(this: void, route: RouteOptions): void
}

/** A find-my-way path with its param names left out: `/a/:id` and `/a/:p1` are one route to it. */
function urlKey(url: string): string {
  return url.replace(/\/:[^/]+/g, '/:')
}

/** The owners of one plugin registration on `fastify`. */
export function createRouteOwners(fastify: FastifyInstance): RouteOwners {
  const owned = new Map<string, RouteOwner[]>()
  return {
    add(url, owner) {
      const key = urlKey(url)
      owned.set(key, [...(owned.get(key) ?? []), owner])
    },
    onRoute(route) {
      if (route.constraints && Object.keys(route.constraints).length > 0) return
      const owners = owned.get(urlKey(route.url))
      if (owners === undefined) return
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        const ours = owners.find((owner) => owner.methods.includes(method.toUpperCase() as HTTPMethods))
        if (ours === undefined || !fastify.hasRoute({ method, url: route.url })) continue
        const fix = ours.file
          ? 'Remove one of them, or mount Routeware under another prefix.'
          : 'Register your route before @routeware/fastify (it then leaves that method of the wildcard to you), or mount Routeware under a prefix.'
        throw new RoutewareError('ROUTEWARE_ROUTE_COLLISION', `The Fastify route ${method} ${route.url} collides with ${ours.what}.\n  ${fix}`, { files: ours.file ? [ours.file] : [] })
      }
    },
  }
}
