import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SpanStatusCode } from "@opentelemetry/api";
import { PhoenixSpanProcessor } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { tracerProvider } from "../helpers/tracing.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
  expect(server.violations).toEqual([]);
});

describe("PhoenixSpanProcessor", () => {
  it("sends 120 ended spans as three requests of 50, 50 and 20", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "batches" });
    const tracer = tracerProvider([processor]).getTracer("test");
    for (let i = 0; i < 120; i++) tracer.startSpan(`span-${i}`).end();
    // Two full batches leave at once; the last 20 wait for the timer or a flush.
    await server.waitForSpans(100);
    expect(server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length)).toEqual([50, 50]);
    await processor.forceFlush();
    await server.waitForSpans(120);
    expect(server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length)).toEqual([50, 50, 20]);
    expect(new Set(server.spans("batches").map((s) => s.context.span_id)).size).toBe(120);
    await processor.shutdown();
  });

  it("sends a lone span when the 3 s schedule fires, not before", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url });
    const tracer = tracerProvider([processor]).getTracer("test");
    tracer.startSpan("lonely").end();
    vi.advanceTimersByTime(2_999);
    await new Promise((r) => setImmediate(r));
    expect(server.requests).toHaveLength(0);
    vi.advanceTimersByTime(1);
    // The batch timer fired; the request itself runs on real timers.
    vi.useRealTimers();
    await server.waitForSpans(1);
    expect(server.spans("default").map((s) => s.name)).toEqual(["lonely"]);
    await processor.shutdown();
  });

  it("a span ended just after a full batch waits no longer than 3 s from the first span still unsent", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "timer" });
    const tracer = tracerProvider([processor]).getTracer("test");
    tracer.startSpan("first").end();
    vi.advanceTimersByTime(2_000);
    for (let i = 1; i < 50; i++) tracer.startSpan(`full-${i}`).end();
    tracer.startSpan("late").end();
    // At 3 s the timer armed by "first" hands "late" over: 1 s after it ended, not 3.
    vi.advanceTimersByTime(1_000);
    vi.useRealTimers();
    await server.waitForSpans(51);
    expect(server.spanRequests().map((r) => (r.json as { data: Array<{ name: string }> }).data.map((s) => s.name).at(-1))).toEqual(["full-49", "late"]);
    await processor.shutdown();
  });

  it("keeps parent/child ids, events, status and attributes intact", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "shape" });
    const tracer = tracerProvider([processor]).getTracer("test");
    const parent = tracer.startSpan("agent", { attributes: { "openinference.span.kind": "CHAIN", "input.value": "hi" } });
    const { trace, context } = await import("@opentelemetry/api");
    const child = tracer.startSpan(
      "llm",
      { attributes: { "openinference.span.kind": "LLM", "llm.token_count.prompt": 12, "tag.tags": ["a", "b"] } },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent("first-token", { "chunk.index": 0 });
    child.recordException(new Error("rate limited"));
    child.setStatus({ code: SpanStatusCode.ERROR, message: "rate limited" });
    child.end();
    parent.setStatus({ code: SpanStatusCode.OK });
    parent.end();
    await processor.forceFlush();
    await server.waitForSpans(2);
    const [storedParent, storedChild] = ["agent", "llm"].map((n) => server.spans("shape").find((s) => s.name === n)!);
    expect(storedParent!.span_kind).toBe("CHAIN");
    expect(storedParent!.parent_id).toBeNull();
    expect(storedParent!.status_code).toBe("OK");
    expect(storedChild!.span_kind).toBe("LLM");
    expect(storedChild!.context.trace_id).toBe(storedParent!.context.trace_id);
    expect(storedChild!.parent_id).toBe(storedParent!.context.span_id);
    expect(storedChild!.status_code).toBe("ERROR");
    expect(storedChild!.status_message).toBe("rate limited");
    expect(storedChild!.attributes).toEqual({ "llm.token_count.prompt": 12, "tag.tags": ["a", "b"] });
    expect(storedChild!.events.map((e) => e.name)).toEqual(["first-token", "exception"]);
    expect(storedChild!.events[1]!.attributes["exception.message"]).toBe("rate limited");
    expect(storedChild!.events[1]!.attributes["exception.type"]).toBe("Error");
    await processor.shutdown();
  });

  it("routes spans by the resource's openinference.project.name, one request per project", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url });
    tracerProvider([processor], "project-a").getTracer("t").startSpan("a").end();
    tracerProvider([processor], "project-b").getTracer("t").startSpan("b").end();
    tracerProvider([processor]).getTracer("t").startSpan("c").end();
    await processor.forceFlush();
    await server.waitForSpans(3);
    expect(server.spans("project-a").map((s) => s.name)).toEqual(["a"]);
    expect(server.spans("project-b").map((s) => s.name)).toEqual(["b"]);
    expect(server.spans("default").map((s) => s.name)).toEqual(["c"]);
    expect(server.spanRequests().map((r) => decodeURIComponent(r.path)).sort()).toEqual([
      "/v1/projects/default/spans",
      "/v1/projects/project-a/spans",
      "/v1/projects/project-b/spans",
    ]);
    await processor.shutdown();
  });

  it("an explicit projectName wins over the resource attribute", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "chosen" });
    tracerProvider([processor], "from-resource").getTracer("t").startSpan("x").end();
    await processor.forceFlush();
    await server.waitForSpans(1);
    expect(server.spans("chosen")).toHaveLength(1);
    await processor.shutdown();
  });

  it("shutdown delivers pending spans, is idempotent, and later spans are refused", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url });
    const tracer = tracerProvider([processor]).getTracer("t");
    for (let i = 0; i < 7; i++) tracer.startSpan(`pending-${i}`).end();
    expect(server.requests).toHaveLength(0);
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    await server.waitForSpans(7);
    tracer.startSpan("late").end();
    await processor.forceFlush();
    expect(server.spans().map((s) => s.name)).not.toContain("late");
  });

  it("forceFlush resolves only after Phoenix acknowledged the spans", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url });
    tracerProvider([processor]).getTracer("t").startSpan("ack").end();
    await processor.forceFlush();
    expect(server.spanRequests().map((r) => r.status)).toEqual([202]);
    await processor.shutdown();
  });
});

describe("PhoenixSpanProcessor hand-over: nothing ended before shutdown, a flush or a burst is lost", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `s-${i}`);

  it("spans ended right before shutdown() are delivered, in the full batches and the partial one, in order", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "last" });
    const enqueue = vi.spyOn(processor.exporter, "enqueue");
    const tracer = tracerProvider([processor]).getTracer("t");
    for (const name of names(101)) tracer.startSpan(name).end();
    await processor.shutdown();
    expect(enqueue.mock.calls.map(([spans]) => spans.length)).toEqual([50, 50, 1]);
    expect(enqueue.mock.calls.flatMap(([spans]) => spans.map((s) => s.name))).toEqual(names(101));
    const stats = processor.exporter.stats();
    expect([stats.exported, stats.dropped.total, stats.unknown]).toEqual([101, 0, 0]);
    expect(server.spans("last").map((s) => s.name).sort()).toEqual(names(101).sort());
  });

  it("forceFlush() right after the 50th span resolves with that batch delivered", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "flushed" });
    const tracer = tracerProvider([processor]).getTracer("t");
    for (const name of names(50)) tracer.startSpan(name).end();
    await processor.forceFlush();
    expect(processor.exporter.stats().exported).toBe(50);
    expect(server.spans("flushed")).toHaveLength(50);
    await processor.shutdown();
  });

  it("loses nothing on a burst of 5,000 spans ended in one synchronous loop, with default options", async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "burst" });
    const tracer = tracerProvider([processor]).getTracer("t");
    const text = "a model's answer, about two kilobytes long \u2014 ".repeat(45);
    for (let i = 0; i < 5_000; i++) tracer.startSpan(`b-${i}`, { attributes: { "output.value": text } }).end();
    await processor.forceFlush();
    const stats = processor.exporter.stats();
    expect([stats.received, stats.exported, stats.dropped.total, stats.unknown, stats.spooled]).toEqual([5_000, 5_000, 0, 0, 0]);
    expect(new Set(server.spans("burst").map((s) => s.name)).size).toBe(5_000);
    await processor.shutdown();
  });
});

