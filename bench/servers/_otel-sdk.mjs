/**
 * `node --import` this to run a contender under a real OpenTelemetry SDK (`BENCH_OTEL=sdk`): the Node
 * tracer provider (AsyncLocalStorage context, W3C propagator), every span sampled, a
 * `BatchSpanProcessor` whose exporter counts the batches and drops them: what is measured is making
 * and batching the spans, not a collector's network.
 */
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

let exported = 0
const exporter = {
  export(spans, done) {
    exported += spans.length
    done({ code: 0 })
  },
  async shutdown() {},
}
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] })
provider.register()
process.once('exit', () => {
  if (process.env.BENCH_OTEL_REPORT) process.stderr.write(`otel sdk: ${exported} spans exported\n`)
})
