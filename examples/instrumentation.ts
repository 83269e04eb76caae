// instrumentation.ts beside app/, as in a Next.js app. register() runs once, before the first
// request is served; onRequestError hears every error a route handler throws (Sentry's
// `export { captureRequestError as onRequestError } from '@sentry/nextjs'` fits here unchanged).
import type { Instrumentation } from '@routeware/core/instrumentation'

export async function register() {
  console.log(`instrumentation: register() ran (NEXT_RUNTIME=${process.env.NEXT_RUNTIME})`)
}

export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  console.error(`instrumentation: ${request.method} ${request.path} failed in ${context.routePath}:`, error)
}
