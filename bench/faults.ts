/**
 * Spans delivered under random faults, with real backoffs (`npm run bench:faults`).
 *
 * SPANS (default 10,000) spans go through PhoenixSpanProcessor to a
 * Phoenix-compatible server on 127.0.0.1 that fails RATE (default 25 %) of the
 * span requests, at random with a fixed SEED: 503, 429 with Retry-After: 1,
 * 500, 502, 504, connection resets, stalls past the 1 s request timeout, and
 * responses lost after the spans were stored. Reported: spans stored (each
 * exactly once?), the exporter's counts, and how long it took.
 */
import { PhoenixSpanExporter, PhoenixSpanProcessor } from "../src/index.js";
import { tracerProvider } from "../test/helpers/tracing.js";
import { randomFaults } from "../test/servers/faults.js";
import { startPhoenixServer } from "../test/servers/phoenix-server.js";

const SPANS = Number(process.env.SPANS ?? 10_000);
const RATE = Number(process.env.RATE ?? 0.25);
const SEED = Number(process.env.SEED ?? 42);

async function main(): Promise<void> {
  const server = await startPhoenixServer();
  const faults = randomFaults(SEED, RATE, [
    { kind: "respond", status: 503, body: "Service Unavailable" },
    { kind: "respond", status: 429, headers: { "retry-after": "1" } },
    { kind: "respond", status: 500 },
    { kind: "respond", status: 502 },
    { kind: "respond", status: 504 },
    { kind: "reset" },
    { kind: "stall" },
    { kind: "lose-response" },
  ]);
  server.faults.push(faults);
  const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "bench-faults", timeoutMillis: 1_000 });
  const processor = new PhoenixSpanProcessor({ exporter });
  const tracer = tracerProvider([processor]).getTracer("bench");
  const started = Date.now();
  for (let i = 0; i < SPANS; i++) {
    tracer.startSpan(`op ${i}`, { attributes: { "openinference.span.kind": "CHAIN", "input.value": `request ${i}` } }).end();
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
  await processor.forceFlush({ timeoutMillis: 600_000 });
  await server.waitForSpans(SPANS, 60_000).catch(() => undefined);
  const seconds = (Date.now() - started) / 1000;
  const stored = server.spans("bench-faults").map((s) => s.context.span_id);
  const stats = exporter.stats();
  console.log(
    [
      `${SPANS} spans, ${Math.round(RATE * 100)} % of span requests faulted (seed ${SEED}): ${[...faults.injected].map(([k, v]) => `${k} ×${v}`).join(", ")}`,
      `stored ${stored.length} (${new Set(stored).size} distinct), missing ${SPANS - new Set(stored).size}, in ${seconds.toFixed(1)} s`,
      `exporter: exported ${stats.exported}, duplicate ${stats.duplicate}, retried ${stats.retried}, invalid ${stats.invalid}, dropped ${stats.dropped.total}`,
    ].join("\n"),
  );
  await processor.shutdown();
  await server.close();
}

void main();
