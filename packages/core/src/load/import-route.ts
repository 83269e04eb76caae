/** Load one route file: plain `import()` for JavaScript, jiti for TypeScript. */
import { createJiti } from 'jiti'
import { pathToFileURL } from 'node:url'

let jiti: ReturnType<typeof createJiti> | undefined

/**
 * Node 20 cannot import `.ts`, and Node 22/24 type stripping refuses enums, extensionless
 * relative imports and `paths` aliases that real Next.js route files use. jiti transpiles
 * them in-process without touching global loaders, shares one module cache (one instance of a
 * module imported by several routes) and loads packages from node_modules natively, so
 * `@routeware/core` stays a single copy.
 */
export async function importRoute(file: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?ts$/.test(file)) {
    jiti ??= createJiti(import.meta.url, { moduleCache: true, interopDefault: false })
    return (await jiti.import(file)) as Record<string, unknown>
  }
  // pathToFileURL: a Windows path would otherwise read as an unknown URL scheme.
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>
}
