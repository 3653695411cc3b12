import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXPORTER_DEFAULTS, PhoenixSpanExporter, PhoenixSpanProcessor, type PhoenixSpanExporterOptions } from "../../../src/index.js";
import { tracerProvider } from "../../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";

/**
 * Delivery against the test server at Phoenix's measured speed under load
 * (BEHAVIOUR.md, "Speed under load"): REST answers that stall for seconds,
 * ~120 spans/s accepted whatever the concurrency, ~100 spans/s stored, the
 * OTLP route's 503 at capacity. Everything runs at TIME_SCALE (50x faster),
 * Phoenix's durations and the exporter's own time options alike, so a
 * 5,000-span burst takes about a second instead of a minute.
 */
const TIME_SCALE = 0.02;
const scaled = (millis: number) => Math.max(1, Math.round(millis * TIME_SCALE));

/** The exporter's defaults, on the same time scale as the server. */
const SCALED_DEFAULTS: PhoenixSpanExporterOptions = {
  timeoutMillis: scaled(20_000),
  progressTimeoutMillis: scaled(EXPORTER_DEFAULTS.progressTimeoutMillis),
  retry: { initialBackoffMillis: scaled(250), maxBackoffMillis: scaled(5_000), deadlineMillis: scaled(60_000) },
  summaryIntervalMillis: 0,
};

let server: PhoenixTestServer;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "px-speed-"));
});
afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  expect(server.violations).toEqual([]);
});

function burst(processor: PhoenixSpanProcessor, count: number): void {
  const tracer = tracerProvider([processor]).getTracer("burst");
  const padding = "x".repeat(1_200);
  for (let i = 0; i < count; i++) {
    tracer.startSpan(`llm-${i}`, { attributes: { "openinference.span.kind": "LLM", "input.value": `q${i} ${padding}` } }).end();
  }
}

/** Waits, at the server's own pace, until it has stored what it accepted. */
async function storedEverything(count: number): Promise<void> {
  await server.waitForSpans(count, 60_000);
}

describe("at Phoenix's speed, REST (the default transport)", () => {
  it("a 5,000-span burst, then shutdown(), with default options: all 5,000 stored, nothing dropped", async () => {
    server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: 7 } });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "burst", ...SCALED_DEFAULTS });
    burst(processor, 5_000);
    const started = Date.now();
    await processor.shutdown();
    // Far longer than the old fixed 10 s deadline (on this time scale): shutdown waited because Phoenix kept acknowledging.
    expect(Date.now() - started).toBeGreaterThan(scaled(10_000));
    const stats = processor.exporter.stats();
    expect(stats).toMatchObject({ received: 5_000, dropped: { total: 0 }, unknown: 0 });
    expect(stats.exported + stats.duplicate).toBe(5_000);
    await storedEverything(5_000);
    expect(new Set(server.spans("burst").map((s) => s.context.span_id)).size).toBe(5_000);
    // Phoenix stalled under the burst: some answers took far longer than the fast ones.
    expect(server.speed!.answers.some((a) => a.stalled)).toBe(true);
  }, 60_000);

  it("a 20,000-span burst with a spool: the overflow past the memory bound goes to disk and shutdown delivers all of it", async () => {
    server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: 11 } });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "big", spoolDir: dir, ...SCALED_DEFAULTS });
    burst(processor, 20_000);
    await processor.shutdown();
    const stats = processor.exporter.stats();
    expect(stats.spooled).toBeGreaterThan(0);
    expect(stats).toMatchObject({ received: 20_000, dropped: { total: 0 }, spool: { spans: 0 } });
    await storedEverything(20_000);
    expect(new Set(server.spans("big").map((s) => s.context.span_id)).size).toBe(20_000);
  }, 90_000);

  it("stats() is exact when shutdown is capped mid-burst: requests cut off in flight are unknown, and Phoenix stores at most those", async () => {
    server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: 3 } });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "capped", ...SCALED_DEFAULTS });
    burst(processor, 3_000);
    await processor.shutdown({ timeoutMillis: scaled(4_000) });
    const stats = processor.exporter.stats();
    expect(stats.exported + stats.duplicate + stats.unknown + stats.dropped.total).toBe(3_000);
    expect(stats.dropped.shutdown).toBe(stats.dropped.total);
    // Let Phoenix finish what it was given: it stores every acknowledged span and some of the cut-off ones, never a dropped one.
    await new Promise((resolve) => setTimeout(resolve, scaled(60_000)));
    const stored = server.spans("capped").length;
    expect(stored).toBeGreaterThanOrEqual(stats.exported);
    expect(stored).toBeLessThanOrEqual(stats.exported + stats.unknown);
  }, 60_000);
});

describe("at Phoenix's speed, OTLP", () => {
  it("a burst into a Phoenix whose ingest queue fills: the 503s push back, the exporter waits, and every span is stored", async () => {
    // A Phoenix started with a small queue (as measured with PHOENIX_MAX_SPANS_QUEUE_SIZE=100) and storing slowly.
    server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: 5, maxSpansQueueSize: 100, writerBatchSpans: 100, storageSpansPerSecond: 60 } });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "otlp", transport: "otlp", ...SCALED_DEFAULTS });
    burst(processor, 3_000);
    await processor.shutdown();
    expect(server.counters.rejectedAtCapacity).toBeGreaterThan(0);
    const stats = processor.exporter.stats();
    expect(stats).toMatchObject({ received: 3_000, exported: 3_000, dropped: { total: 0 }, unknown: 0 });
    expect(stats.retried).toBeGreaterThan(0);
    await storedEverything(3_000);
    expect(new Set(server.spans("otlp").map((s) => s.context.span_id)).size).toBe(3_000);
  }, 60_000);
});

describe("at Phoenix's speed, forceFlush", () => {
  it("forceFlush() while the app keeps producing delivers everything handed over before it", async () => {
    server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: 9 } });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "flush", ...SCALED_DEFAULTS });
    burst(processor, 2_000);
    const flushed = processor.forceFlush();
    burst(processor, 500);
    await flushed;
    expect(processor.exporter.stats().exported).toBeGreaterThanOrEqual(2_000);
    await processor.shutdown();
    expect(processor.exporter.stats()).toMatchObject({ exported: 2_500, dropped: { total: 0 } });
  }, 60_000);
});
