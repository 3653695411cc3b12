/**
 * The application side of bench/outage.ts: a process that emits LLM-sized
 * spans at a steady rate through PhoenixSpanProcessor with a spool and a small
 * memory cap, and reports its resident memory and the exporter's stats over IPC.
 */
import { PhoenixSpanExporter, PhoenixSpanProcessor } from "../src/index.js";
import { tracerProvider } from "../test/helpers/tracing.js";

const url = process.env.PHOENIX_URL!;
const spoolDir = process.env.SPOOL_DIR!;
const rate = Number(process.env.RATE ?? 500);
const seconds = Number(process.env.SECONDS ?? 16);
const cap = Number(process.env.MAX_QUEUED_BYTES ?? 4 * 1024 * 1024);
const payload = "x".repeat(Number(process.env.PADDING ?? 1_400));

const exporter = new PhoenixSpanExporter({ endpoint: url, projectName: "bench-outage", spoolDir, maxQueuedBytes: cap });
const processor = new PhoenixSpanProcessor({ exporter });
const tracer = tracerProvider([processor]).getTracer("bench");
const rss = () => process.memoryUsage().rss;

const report = setInterval(() => process.send!({ kind: "sample", rss: rss(), stats: exporter.stats() }), 250);

async function main(): Promise<void> {
  const started = Date.now();
  let emitted = 0;
  // Emit in 20 ms slices so the rate is steady and the event loop stays responsive.
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    for (; emitted < due; emitted++) {
      tracer
        .startSpan(`chat ${emitted}`, {
          attributes: {
            "openinference.span.kind": "LLM",
            "llm.model_name": "gpt-4o-mini",
            "input.value": `question ${emitted} ${payload}`,
            "llm.token_count.prompt": 420,
          },
        })
        .end();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await processor.forceFlush({ timeoutMillis: 60_000 });
  process.send!({ kind: "emitted", emitted, stats: exporter.stats() });
  // Wait for the spool to drain, then report.
  const drainStarted = Date.now();
  for (;;) {
    const stats = exporter.stats();
    if ((stats.spool?.spans ?? 0) === 0 && stats.queue.spans === 0) break;
    if (Date.now() - drainStarted > 300_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  clearInterval(report);
  await processor.shutdown();
  process.send!({ kind: "done", rss: rss(), stats: exporter.stats() });
  process.disconnect();
}

void main();
