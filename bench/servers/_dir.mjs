/** The bench app directory (absolute, so contenders work from any working directory). */
import { fileURLToPath } from 'node:url'

export const appDir = fileURLToPath(new URL('../app', import.meta.url))

/** The same route returning `NextResponse.json`. */
export const nextResponseAppDir = fileURLToPath(new URL('../app-next-response', import.meta.url))

/** A tree that collides with none of the plain Fastify routes (`/rw/users/[id]`), for `fastify-beside`. */
export const besideAppDir = fileURLToPath(new URL('../app-beside', import.meta.url))

/** `proxy` option files: a proxy whose matcher misses every bench request, and one that matches and returns `NextResponse.next()`. */
export const proxyFiles = {
  miss: fileURLToPath(new URL('../proxy/miss.ts', import.meta.url)),
  next: fileURLToPath(new URL('../proxy/next.ts', import.meta.url)),
}

/** `instrumentation` option files: one with only `register()` (issue #13: it must cost a request nothing). */
export const instrumentationFiles = {
  registerOnly: fileURLToPath(new URL('../instrumentation/register-only.ts', import.meta.url)),
}
