/**
 * `URLPattern` from `next/server`: the runtime's global, as Next exports it
 * (packages/next/src/server/web/spec-extension/url-pattern.ts). Node 24 has one; on Node 20 and 22
 * it is `undefined`, in Next as here.
 */
type URLPatternClass = typeof globalThis extends { URLPattern: infer P } ? P : new (...args: never[]) => unknown

const GlobalURLPattern = (globalThis as { URLPattern?: URLPatternClass }).URLPattern

export { GlobalURLPattern as URLPattern }
