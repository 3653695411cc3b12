import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanExporter, PhoenixSpanProcessor } from "../../../src/index.js";
import { tracerProvider } from "../../helpers/tracing.js";
import { startPhoenixServer, type FaultAction, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { randomFaults, scriptedFaults } from "../../servers/faults.js";
import { captureDiag, instantClock, manySpans, spanIds, storedIds, type CapturedDiag } from "./support.js";

let server: PhoenixTestServer;
let log: CapturedDiag;
beforeEach(async () => {
  server = await startPhoenixServer();
  log = captureDiag();
});
afterEach(async () => {
  log.restore();
  await server.close();
  expect(server.violations).toEqual([]);
});

describe("transient faults are retried until Phoenix stores every span once", () => {
  it("scripted 503, 429 with Retry-After (seconds and HTTP date), 500, reset, stall past the timeout, lost response", async () => {
    const clock = instantClock();
    const script: FaultAction[] = [
      { kind: "respond", status: 503, body: "Service Unavailable" },
      { kind: "respond", status: 429, headers: { "retry-after": "2" } },
      { kind: "respond", status: 429, headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() } },
      { kind: "respond", status: 500 },
      { kind: "reset" },
      { kind: "stall" },
      { kind: "lose-response" },
    ];
    server.faults.push(scriptedFaults(script));
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "faults", timeoutMillis: 300 }, { clock });
    const spans = manySpans(40);
    await new Promise((resolve) => exporter.export(spans, resolve));
    await server.waitForSpans(40);

    expect(storedIds(server)).toEqual({ ids: new Set(spanIds(spans)), count: 40 });
    expect(server.spanRequests().map((r) => r.status)).toEqual([503, 429, 429, 500, -1, -2, -1, 400]);
    // Retry-After wins over the backoff: 2 s, then about 30 s from the HTTP date.
    expect(clock.slept).toContain(2_000);
    expect(clock.slept.some((ms) => ms > 25_000 && ms <= 30_000)).toBe(true);
    expect(exporter.stats()).toMatchObject({ exported: 0, duplicate: 40, retried: 7, dropped: { total: 0 } });
    await exporter.shutdown();
  });

  it("10,000 spans through seeded random faults: every span id stored exactly once, none missing", async () => {
    const faults = randomFaults(20_260_101, 0.25, [
      { kind: "respond", status: 503, body: "Service Unavailable" },
      { kind: "respond", status: 429, headers: { "retry-after": "1" } },
      { kind: "respond", status: 500 },
      { kind: "respond", status: 502 },
      { kind: "respond", status: 504 },
      { kind: "reset" },
      { kind: "stall" },
      { kind: "stall", millis: 400 },
      { kind: "lose-response" },
    ]);
    server.faults.push(faults);
    // The test clock keeps backoffs and Retry-After from costing real time; stalls cost their 250 ms timeout.
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "random-faults", timeoutMillis: 250 }, { clock: instantClock() });
    const pipeline = new PhoenixSpanProcessor({ exporter });
    const tracer = tracerProvider([pipeline]).getTracer("random");
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const span = tracer.startSpan(`op-${i}`, { attributes: { "openinference.span.kind": "CHAIN", "input.value": `request ${i}` } });
      ids.push(span.spanContext().spanId);
      span.end();
      // An application yields between requests; OpenTelemetry's batch processor drops what one synchronous burst puts past its maxQueueSize (2048).
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    await pipeline.forceFlush({ timeoutMillis: 60_000 });
    await server.waitForSpans(10_000, 30_000);

    const stored = storedIds(server);
    expect(stored.count).toBe(10_000);
    expect(stored.ids).toEqual(new Set(ids));
    const stats = exporter.stats();
    expect(stats.exported + stats.duplicate).toBe(10_000);
    expect(stats).toMatchObject({ received: 10_000, invalid: 0, dropped: { total: 0 } });
    expect(stats.retried).toBeGreaterThan(20);
    // Every kind of fault was met at least once.
    expect([...faults.injected.keys()].sort()).toEqual(["429", "500", "502", "503", "504", "lose-response", "reset", "stall"].sort());
    await pipeline.shutdown();
  }, 60_000);
});
