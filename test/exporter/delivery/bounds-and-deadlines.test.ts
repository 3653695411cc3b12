import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanExporter, PhoenixSpanProcessor, type PhoenixSpanExporterOptions } from "../../../src/index.js";
import { tracerProvider } from "../../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { isSpanDelivery, outage } from "../../servers/faults.js";
import { captureDiag, instantClock, manySpans, spanIds, storedIds, waitForRequests, type CapturedDiag } from "./support.js";

let server: PhoenixTestServer;
let log: CapturedDiag;
let dir: string;
const exporters: PhoenixSpanExporter[] = [];

beforeEach(async () => {
  server = await startPhoenixServer();
  log = captureDiag();
  dir = mkdtempSync(join(tmpdir(), "px-bounds-"));
});
afterEach(async () => {
  for (const e of exporters.splice(0)) await e.shutdown({ timeoutMillis: 200 });
  log.restore();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  expect(server.violations).toEqual([]);
});

/** Quick retries: an outage is recognised after two attempts. */
const FAST_RETRY = { maxAttempts: 2, initialBackoffMillis: 1, maxBackoffMillis: 5 };

function exporter(options: PhoenixSpanExporterOptions = {}): PhoenixSpanExporter {
  const e = new PhoenixSpanExporter({ endpoint: server.url, projectName: "bounds", retry: FAST_RETRY, ...options }, { clock: instantClock() });
  exporters.push(e);
  return e;
}

describe("back-pressure and bounded memory", () => {
  it("keeps several requests in flight, never more than `concurrency`", async () => {
    let active = 0;
    let most = 0;
    server.faults.push((request) => {
      if (!isSpanDelivery(request)) return undefined;
      most = Math.max(most, ++active);
      return { kind: "stall", millis: 40 };
    });
    server.events.on("request", () => active--);
    const e = exporter({ concurrency: 4 });
    for (let i = 0; i < 8; i++) e.enqueue(manySpans(50));
    await e.forceFlush();
    await server.waitForSpans(400);
    expect(most).toBe(4);
  });

  it("a Phoenix that answers at once keeps `concurrency` requests in flight while this thread is busy; one that is slow gets one", async () => {
    // Virtual time: every span delivery Phoenix receives moves the clock on by 500 ms, spent either by this
    // thread (the application, a GC: the answer is there, but cannot be read) or by Phoenix itself.
    async function mostInFlight(threadBusy: boolean): Promise<number> {
      let offset = 0;
      let busy = 0;
      const clock = { ...instantClock(), now: () => 1_000_000 + offset, busyMillis: () => busy };
      let late = false;
      let active = 0;
      let most = 0;
      server.faults.splice(0, server.faults.length, (request) => {
        if (!isSpanDelivery(request)) return undefined;
        if (late) {
          offset += 500;
          if (threadBusy) busy += 500;
        }
        most = Math.max(most, ++active);
        return { kind: "stall", millis: 5 };
      });
      const onAnswer = () => active--;
      server.events.on("request", onAnswer);
      const e = new PhoenixSpanExporter({ endpoint: server.url, projectName: "bounds", concurrency: 4 }, { clock });
      exporters.push(e);
      const send = async (batches: number) => {
        for (let i = 0; i < batches; i++) e.enqueue(manySpans(50));
        await e.forceFlush({ timeoutMillis: 600_000 });
      };
      await send(8); // answers at once: the fastest answer is 0 ms
      late = true;
      await send(12); // 500 ms and more each
      most = 0;
      await send(8);
      server.events.off("request", onAnswer);
      return most;
    }
    expect(await mostInFlight(true)).toBe(4);
    expect(await mostInFlight(false)).toBe(1);
  });

  it("maps a burst over several event-loop turns: the application's callbacks run between them, and every span arrives in order", async () => {
    // Each reading of this clock is 11 ms later: one hand-over fills a turn's 10 ms mapping budget.
    let now = 0;
    const slowMapping = { ...instantClock(), now: () => (now += 11) };
    const e = new PhoenixSpanExporter({ endpoint: server.url, projectName: "bounds" }, { clock: slowMapping });
    exporters.push(e);
    const spans = manySpans(500);
    for (let i = 0; i < spans.length; i += 50) e.enqueue(spans.slice(i, i + 50));
    // The application's next callback: today it runs after one batch was mapped, not after all ten.
    await new Promise((resolve) => setImmediate(resolve));
    const afterOneTurn = e.stats();
    expect(afterOneTurn.received).toBe(500);
    expect(afterOneTurn.queue.spans).toBe(50);
    await e.forceFlush();
    expect(server.spans("bounds").map((s) => s.context.span_id)).toEqual(spanIds(spans));
    expect(e.stats().exported).toBe(500);
  });

  it("no spool: past maxQueuedSpans new spans are dropped as queue-full and counted; the rest arrive when Phoenix answers again", async () => {
    const down = outage();
    server.faults.push(down);
    const e = exporter({ maxQueuedSpans: 200 });
    const spans = Array.from({ length: 20 }, () => manySpans(50));
    for (const batch of spans) e.enqueue(batch);
    await waitForRequests(server, () => down.hits >= 10);

    const during = e.stats();
    expect(during.queue.spans).toBeLessThanOrEqual(200);
    expect(during.dropped).toMatchObject({ "queue-full": 800, total: 800 });
    expect(during.degraded).toBe(true);
    expect(log.at("warn").join("\n")).toMatch(/did not answer after every retry.*up to 200 spans wait in memory/);

    down.active = false;
    await e.forceFlush();
    await server.waitForSpans(200);
    expect(storedIds(server).ids).toEqual(new Set(spans.slice(0, 4).flatMap(spanIds)));
    expect(e.stats()).toMatchObject({ exported: 200, degraded: false, dropped: { total: 800 } });
  });

  it("with a spool: the overflow goes to disk during an outage and is replayed, oldest first, once Phoenix answers", async () => {
    const down = outage();
    server.faults.push(down);
    const e = exporter({ maxQueuedSpans: 100, spoolDir: dir });
    const batches = Array.from({ length: 20 }, () => manySpans(50));
    for (const batch of batches) e.enqueue(batch);
    await waitForRequests(server, () => down.hits >= 6);
    await e.forceFlush({ timeoutMillis: 0 });
    const during = e.stats();
    // All on disk; at most the one batch that probes for Phoenix is (also) in memory.
    expect(during.spool!.spans).toBe(1_000);
    expect(during.queue.spans).toBeLessThanOrEqual(50);
    expect(during.dropped.total).toBe(0);

    down.active = false;
    await server.waitForSpans(1_000);
    const stored = storedIds(server);
    expect(stored.count).toBe(1_000);
    expect(stored.ids).toEqual(new Set(batches.flatMap(spanIds)));
    // Oldest first within the spool: batches 2…19 overflowed into it in that order (0 and 1 joined when their requests failed).
    const order = server.spans().map((s) => s.context.span_id);
    const position = (batch: number) => order.indexOf(batches[batch]![0]!.spanContext().spanId);
    expect(position(2)).toBeLessThan(position(10));
    expect(position(10)).toBeLessThan(position(19));
    await e.forceFlush();
    expect(e.stats()).toMatchObject({ spooled: 1_000, replayed: 1_000, exported: 1_000, spool: { spans: 0, bytes: 0 } });
    expect(log.at("info").join("\n")).toMatch(/answers again.*replaying/);
  });
});

describe("shutdown and forceFlush deadlines", () => {
  function stallSpanDeliveries(): { release: () => void } {
    const rule = (request: Parameters<PhoenixTestServer["faults"][number]>[0]) => (isSpanDelivery(request) ? ({ kind: "stall" } as const) : undefined);
    server.faults.push(rule);
    return { release: () => server.faults.splice(server.faults.indexOf(rule), 1) };
  }

  it("with a spool: shutdown returns by its deadline, spools what Phoenix did not acknowledge, and the next process delivers it", async () => {
    const stall = stallSpanDeliveries();
    const e = exporter({ spoolDir: dir, timeoutMillis: 30_000 });
    const spans = manySpans(300);
    e.enqueue(spans);
    await waitForRequests(server, () => server.requests.length >= 4);
    const started = Date.now();
    await e.shutdown({ timeoutMillis: 300 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3_000);
    expect(e.stats()).toMatchObject({ spooled: 300, exported: 0, dropped: { total: 0 }, spool: { spans: 300 } });

    stall.release();
    exporter({ spoolDir: dir });
    await server.waitForSpans(300);
    expect(storedIds(server)).toEqual({ ids: new Set(spanIds(spans)), count: 300 });
  });

  it("without a spool: requests cut off in flight at the deadline are counted as unknown (Phoenix may store them), waiting ones as dropped", async () => {
    stallSpanDeliveries();
    const e = exporter({ timeoutMillis: 30_000, concurrency: 2 });
    e.enqueue(manySpans(120));
    await waitForRequests(server, () => server.requests.length >= 2);
    await e.shutdown({ timeoutMillis: 100 });
    // Two requests of 50 were in flight: cut off, not known lost. The last 20 never left: dropped.
    expect(e.stats()).toMatchObject({ unknown: 100, dropped: { shutdown: 20, total: 20 } });
    expect(log.at("warn").join("\n")).toMatch(/at shutdown, delivery to .*dropped 20 \(shutdown 20\).*cut off in flight 100/);
  });

  it("when Phoenix is known to be down, shutdown spools at once instead of spending its deadline", async () => {
    const down = outage();
    server.faults.push(down);
    const e = exporter({ spoolDir: dir, maxQueuedSpans: 10_000 });
    e.enqueue(manySpans(100));
    await waitForRequests(server, () => down.hits >= 2);
    const started = Date.now();
    await e.shutdown({ timeoutMillis: 20_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.stats()).toMatchObject({ spooled: 100, dropped: { total: 0 } });
  });

  it("the processor flushes within its exporter's forceFlush deadline: spans still waiting then go to the spool", async () => {
    const stall = stallSpanDeliveries();
    const e = exporter({ spoolDir: dir, concurrency: 1, timeoutMillis: 30_000, flushTimeoutMillis: 150 });
    const processor = new PhoenixSpanProcessor({ exporter: e });
    const tracer = tracerProvider([processor]).getTracer("deadline");
    for (let i = 0; i < 200; i++) tracer.startSpan(`s${i}`).end();
    const started = Date.now();
    await processor.forceFlush();
    expect(Date.now() - started).toBeLessThan(3_000);
    // One request of 50 in flight; the other 150 were waiting and are on disk now.
    expect(e.stats()).toMatchObject({ spooled: 150, queue: { spans: 50 } });
    expect(log.at("warn").join("\n")).toMatch(/forceFlush: 50 spans not delivered within 1[45]\d ms; waiting ones were written to the spool/);
    stall.release();
    await processor.shutdown({ timeoutMillis: 200 });
    expect(e.stats()).toMatchObject({ spooled: 200 });
  });
});

describe("observability of the exporter itself", () => {
  it("one summary line per interval while something is wrong, with the counts; silent once all is well again", async () => {
    const down = outage();
    server.faults.push(down);
    const e = exporter({ spoolDir: dir, summaryIntervalMillis: 30 });
    e.enqueue(manySpans(50));
    const line = await log.next("warn", /^phoenix-connector: delivery to .*\(REST\): exported 0, .*spooled 50, .*in spool 50 spans.*Phoenix unreachable since/);
    expect(line).toMatch(/retried \d+/);
    down.active = false;
    await server.waitForSpans(50);
    // One closing line shows how it ended; then the summary stops.
    await log.next("warn", /replayed 50, queued 0 spans \/ 0 bytes, in spool 0 spans \/ 0 bytes$/);
    const count = log.at("warn").filter((l) => l.includes("delivery to")).length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(log.at("warn").filter((l) => l.includes("delivery to")).length).toBe(count);
    expect(e.stats()).toMatchObject({ degraded: false, spool: { spans: 0 } });
  });

  it("stats() carries every count the issue names and nothing secret", () => {
    const e = exporter({ apiKey: "px-super-secret-value", spoolDir: dir });
    const stats = e.stats();
    expect(Object.keys(stats).sort()).toEqual(
      ["degraded", "destination", "dropped", "duplicate", "exported", "invalid", "queue", "received", "repaired", "replayed", "retried", "spool", "spooled", "unknown"].sort(),
    );
    expect(Object.keys(stats.dropped).sort()).toEqual(
      ["queue-full", "refused", "shutdown", "spool-corrupt", "spool-error", "spool-full", "too-large", "total", "unauthorized", "unmappable"].sort(),
    );
    expect(JSON.stringify(stats)).not.toContain("px-super-secret-value");
  });
});
