/** Module hooks for `_otel-absent.mjs`: `import('@opentelemetry/api')` fails as it does when the package is not installed. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@opentelemetry/api' || specifier.startsWith('@opentelemetry/api/')) {
    throw Object.assign(new Error(`Cannot find package '${specifier}' (hidden by BENCH_OTEL=absent)`), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  return nextResolve(specifier, context)
}
