import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { recordAgentRun, SPANS_PER_RUN } from "./agent-run.js";
import { SeededRandom } from "./seeded-random.js";

export interface Workload {
  /** Finished spans in the order they ended (children before parents), as a span processor sees them. */
  spans: ReadableSpan[];
  seed: number;
}

/** Simulated wall-clock start of the first run: fixed, so that the same seed gives the same timestamps. */
const START_MILLIS = Date.UTC(2026, 0, 15, 9, 0, 0);

export interface WorkloadOptions {
  /** Seed of the span and trace ids; default derived from `seed`. A real Phoenix needs new ids on every run. */
  idSeed?: number;
  /** Sets the resource attribute `openinference.project.name` (for OTLP into a real Phoenix). */
  project?: string;
}

/**
 * `runs` agent runs (7 spans each) recorded through the real OpenTelemetry
 * SDK: a BasicTracerProvider with a seeded id generator, so span and trace
 * ids are the same on every run of the benchmark too.
 */
export function generateWorkload(runs: number, seed: number, options: WorkloadOptions = {}): Workload {
  const random = new SeededRandom(seed);
  const ids = new SeededRandom(options.idSeed ?? seed ^ 0x5eed);
  const spans: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new BasicTracerProvider({
    spanProcessors: [collect],
    resource: resourceFromAttributes({
      "service.name": "support-agent",
      "service.version": "1.8.2",
      "deployment.environment.name": "production",
      ...(options.project ? { "openinference.project.name": options.project } : {}),
    }),
    idGenerator: { generateTraceId: () => ids.hex(32), generateSpanId: () => ids.hex(16) },
  });
  const tracer = provider.getTracer("support-agent", "1.8.2");
  let start = START_MILLIS;
  for (let run = 0; run < runs; run++) {
    recordAgentRun(tracer, random, start);
    // Runs overlap in real traffic; a new one starts every 50–450 ms here.
    start += random.int(50, 450);
  }
  return { spans, seed };
}

export { SPANS_PER_RUN };
