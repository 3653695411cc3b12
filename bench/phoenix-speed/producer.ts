/**
 * One run of bench/phoenix-speed.ts, in a fresh process: builds one delivery
 * path, produces the scenario's spans, shuts down, and sends the parent what
 * it saw (IPC). Argument: a JSON {@link ProducerJob}.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ExportResultCode } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "otel2-exporter-trace-otlp-proto";
import { EXPORTER_DEFAULTS, PhoenixSpanProcessor, type PhoenixSpanExporterOptions } from "../../src/index.js";
import { CountingIdGenerator, endLlmSpan, textPool } from "./spans.js";

export type PathName = "rest" | "rest+spool" | "otlp" | "otlp+spool" | "bsp+otlp-proto";

export interface ProducerJob {
  path: PathName;
  url: string;
  project: string;
  timeScale: number;
  /** Span count; for "sustained", the producer stops after this many. */
  count: number;
  /** Sustained only: spans per wall-clock second. Absent: a tight-loop burst. */
  ratePerSecond?: number;
  textSeed: number;
  /** A server that answers at once, for the warm-up. */
  warmupUrl: string;
  warmupSpans: number;
}

export interface ProducerResult {
  path: PathName;
  handedOver: number;
  /** Epoch ms (performance.timeOrigin-based) of the first span ended. */
  firstEndAt: number;
  /** Wall ms the producing took (the loop, or the paced run). */
  produceMillis: number;
  /** Wall ms shutdown() took. */
  shutdownMillis: number;
  /** Epoch ms shutdown() returned. */
  shutdownReturnedAt: number;
  /** span.end() times, µs. */
  endMicros: { p50: number; p99: number; max: number };
  rssBaselineBytes: number;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  /** Our stats() after shutdown (package paths). */
  stats?: unknown;
  /** BSP path: spans the OTLP exporter got an answer for (success / failure). */
  bsp?: { exportedOk: number; exportFailed: number; exportCalls: number };
  /** shutdown() rejected with this. */
  shutdownError?: string;
  /** Process warnings raised (code: first message). */
  warnings: Record<string, string>;
  achievedRatePerSecond?: number;
}

const job = JSON.parse(process.argv[2]!) as ProducerJob;
const scaled = (millis: number) => Math.max(1, Math.round(millis * job.timeScale));

const warnings: Record<string, string> = {};
process.on("unhandledRejection", (reason) => {
  warnings.unhandledRejection ??= reason instanceof Error ? reason.message : String(reason);
});
process.on("warning", (w) => {
  const code = (w as { code?: string }).code ?? w.name;
  warnings[code] ??= w.message.slice(0, 300);
});

// ---- memory: a sampler, plus the kernel's max RSS at the end
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
};
const sampler = setInterval(sample, 20);

// ---- the path
/** The package's time options on the server's time scale (as test/exporter/delivery/phoenix-speed.test.ts). */
const scaledDefaults: PhoenixSpanExporterOptions & { scheduledDelayMillis: number } = {
  timeoutMillis: scaled(20_000),
  progressTimeoutMillis: scaled(process.env.PROGRESS_TIMEOUT_SECONDS ? Number(process.env.PROGRESS_TIMEOUT_SECONDS) * 1000 : EXPORTER_DEFAULTS.progressTimeoutMillis),
  retry: { initialBackoffMillis: scaled(250), maxBackoffMillis: scaled(5_000), deadlineMillis: scaled(60_000) },
  summaryIntervalMillis: 0,
  scheduledDelayMillis: scaled(3_000),
};

let spoolDir: string | undefined;
const bsp = { exportedOk: 0, exportFailed: 0, exportCalls: 0 };

/** One path, built against `url`. */
function buildPath(url: string, spool: string | undefined, counts: typeof bsp): { processor: SpanProcessor; ours?: PhoenixSpanProcessor } {
  if (job.path === "bsp+otlp-proto") {
    // OpenTelemetry's defaults (queue 2,048, batch 512, 5 s; exporter timeout 10 s), their times on the same scale.
    const inner = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: scaled(10_000) });
    const counting: SpanExporter = {
      export(spans, done) {
        counts.exportCalls++;
        inner.export(spans, (result) => {
          if (result.code === ExportResultCode.SUCCESS) counts.exportedOk += spans.length;
          else counts.exportFailed += spans.length;
          done(result);
        });
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
    };
    return { processor: new BatchSpanProcessor(counting, { scheduledDelayMillis: scaled(5_000), exportTimeoutMillis: scaled(30_000) }) };
  }
  const transport = job.path.startsWith("rest") ? "rest" : "otlp";
  const ours = new PhoenixSpanProcessor({ endpoint: url, projectName: job.project, transport, ...(spool ? { spoolDir: spool } : {}), ...scaledDefaults });
  return { processor: ours, ours };
}

function tracerFor(processor: SpanProcessor, salt: number) {
  return new BasicTracerProvider({
    spanProcessors: [processor],
    idGenerator: new CountingIdGenerator(salt),
    resource: resourceFromAttributes({ "service.name": "phoenix-speed-bench", "openinference.project.name": job.project }),
  }).getTracer("phoenix-speed-bench");
}

const pool = textPool(job.textSeed);

// ---- warm-up: the same path against a server that answers at once (loaded modules, JIT), not measured
{
  const warmSpool = job.path.endsWith("+spool") ? mkdtempSync(join(tmpdir(), "px-bench-warm-")) : undefined;
  const warm = buildPath(job.warmupUrl, warmSpool, { exportedOk: 0, exportFailed: 0, exportCalls: 0 });
  const warmTracer = tracerFor(warm.processor, 0xffff);
  for (let i = 0; i < job.warmupSpans; i++) endLlmSpan(warmTracer, pool, i);
  await warm.processor.shutdown();
  if (warmSpool) rmSync(warmSpool, { recursive: true, force: true });
  if (global.gc) global.gc();
}

if (job.path.endsWith("+spool")) spoolDir = mkdtempSync(join(tmpdir(), "px-bench-spool-"));
const built = buildPath(job.url, spoolDir, bsp);
const processor = built.processor;
const ours = built.ours;
const tracer = tracerFor(processor, job.textSeed);

// ---- produce (memory peaks from here on)
peakRss = 0;
peakHeap = 0;
sample();
const rssBaseline = process.memoryUsage().rss;
const endMicros = new Float64Array(job.count);
let handedOver = 0;
const firstEndAt = performance.timeOrigin + performance.now();
const produceStarted = performance.now();
if (job.ratePerSecond === undefined) {
  for (let i = 0; i < job.count; i++) endMicros[handedOver++] = endLlmSpan(tracer, pool, i);
} else {
  // Paced: every 5 ms, end the spans due by now; stops after `count` spans (bounded).
  while (handedOver < job.count) {
    const due = Math.min(job.count, Math.floor(((performance.now() - produceStarted) / 1000) * job.ratePerSecond) + 1);
    while (handedOver < due) endMicros[handedOver] = endLlmSpan(tracer, pool, handedOver++);
    sample();
    await sleep(5);
  }
}
const produceMillis = performance.now() - produceStarted;
sample();

// ---- shutdown right after
const shutdownStarted = performance.now();
// BatchSpanProcessor's shutdown rejects when its last export failed (e.g. a timeout): recorded, not fatal.
let shutdownError: string | undefined;
await processor.shutdown().catch((error: unknown) => {
  shutdownError = error instanceof Error ? error.message : String(error);
});
const shutdownMillis = performance.now() - shutdownStarted;
const shutdownReturnedAt = performance.timeOrigin + performance.now();
sample();
clearInterval(sampler);

const sorted = Array.from(endMicros.subarray(0, handedOver)).sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const result: ProducerResult = {
  path: job.path,
  handedOver,
  firstEndAt,
  produceMillis,
  shutdownMillis,
  shutdownReturnedAt,
  endMicros: { p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? 0 },
  rssBaselineBytes: rssBaseline,
  peakRssBytes: peakRss,
  peakHeapUsedBytes: peakHeap,
  ...(ours ? { stats: ours.exporter.stats() } : { bsp }),
  warnings,
  ...(shutdownError ? { shutdownError } : {}),
  ...(job.ratePerSecond !== undefined ? { achievedRatePerSecond: handedOver / (produceMillis / 1000) } : {}),
};
if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
process.send!(result, () => process.exit(0));
