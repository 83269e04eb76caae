/** `node --import` this to run a contender as if `@opentelemetry/api` were not installed (`BENCH_OTEL=absent`). */
import { register } from 'node:module'

register('./_otel-absent-hooks.mjs', import.meta.url)
