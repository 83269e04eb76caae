/**
 * `BENCH_OTEL`: the OpenTelemetry setting every contender's process runs under, as `node --import`
 * arguments. Unset: whatever is installed (this repo installs `@opentelemetry/api` for the tests,
 * with no SDK registered: Routeware's no-op check). `absent`: `@opentelemetry/api` cannot be
 * resolved, as in an app without it. `noop`: the API, no SDK (the default here, named). `sdk`: the
 * real Node SDK with a `BatchSpanProcessor` (see `_otel-sdk.mjs`).
 */
import { fileURLToPath } from 'node:url'

export const otelModes = ['absent', 'noop', 'sdk']

/** The node arguments for `mode` (`undefined`: none). */
export function otelNodeArgs(mode) {
  if (mode === 'absent') return ['--import', fileURLToPath(new URL('./_otel-absent.mjs', import.meta.url))]
  if (mode === 'sdk') return ['--import', fileURLToPath(new URL('./_otel-sdk.mjs', import.meta.url))]
  return []
}
