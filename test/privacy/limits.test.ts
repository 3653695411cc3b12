import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter } from "../../src/index.js";
import type { PhoenixSpan } from "../../src/mapping/index.js";
import { LIMIT_DEFAULTS, LIMITS_ATTRIBUTE } from "../../src/privacy/index.js";
import { createPrepareStage } from "../../src/privacy/prepare-stage.js";
import { captureDiag, instantClock, type CapturedDiag } from "../exporter/delivery/support.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "../servers/phoenix-server.js";
import { exportThrough } from "./support.js";

let server: PhoenixTestServer;
let log: CapturedDiag;
async function setup(options: PhoenixTestServerOptions = {}): Promise<void> {
  server = await startPhoenixServer(options);
}
beforeEach(() => {
  log = captureDiag();
});
afterEach(async () => {
  log.restore();
  await server?.close();
  expect(server.violations).toEqual([]);
});

/** Real SDK spans without the SDK's own attribute limits (128 attributes by default), as an application that raised them makes. */
function unlimitedSpans(run: (tracer: ReturnType<BasicTracerProvider["getTracer"]>) => void): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(memory)],
    spanLimits: { attributeCountLimit: Number.POSITIVE_INFINITY, attributeValueLengthLimit: Number.POSITIVE_INFINITY },
  });
  run(provider.getTracer("limits"));
  return memory.getFinishedSpans();
}

function importSpan(id: number, attributes: Record<string, unknown>, name = "import"): PhoenixSpan {
  return {
    name,
    context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: id.toString(16).padStart(16, "0") },
    span_kind: "LLM",
    parent_id: null,
    start_time: "2026-01-01T00:00:00.000000Z",
    end_time: "2026-01-01T00:00:01.000000Z",
    status_code: "OK",
    status_message: "",
    attributes: attributes as PhoenixSpan["attributes"],
    events: [],
  };
}

describe("a 20 MB input", () => {
  it("is cut to maxAttributeValueLength with a marker saying how much, quickly, and the span is delivered", async () => {
    await setup();
    const huge = "lorem ipsum ".repeat(Math.ceil(20_000_000 / 12)).slice(0, 20_000_000);
    const spans = unlimitedSpans((tracer) => {
      tracer.startSpan("llm", { attributes: { "openinference.span.kind": "LLM", "input.value": huge, "llm.input_messages.0.message.content": huge, "llm.input_messages.0.message.role": "user" } }).end();
    });
    const started = performance.now();
    const { sent, bodies } = await exportThrough(server, spans);
    const elapsed = performance.now() - started;
    expect(sent).toHaveLength(1);
    const value = sent[0]!.attributes["input.value"] as string;
    expect(value.startsWith("lorem ipsum")).toBe(true);
    expect(value).toHaveLength(LIMIT_DEFAULTS.maxAttributeValueLength + "…[truncated 19,000,000 chars]".length);
    expect(value.endsWith("…[truncated 19,000,000 chars]")).toBe(true);
    expect(sent[0]!.attributes["llm.input_messages.0.message.role"]).toBe("user");
    expect(Buffer.byteLength(bodies[0]!)).toBeLessThan(LIMIT_DEFAULTS.maxSpanBytes);
    expect(log.at("warn").filter((l) => /exceeded the size limits/.test(l))).toHaveLength(1);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe("a span with 100,000 attributes", () => {
  it("within the span cap: every attribute is sent, and the prepare step takes milliseconds", async () => {
    await setup();
    const attributes: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < 100_000; i++) attributes[`app.attr.${i}`] = `v${i}`;
    const span = importSpan(1, attributes);
    const { prepare } = createPrepareStage(undefined, undefined, {});
    const started = performance.now();
    const out = prepare(span);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(out).toBe(span);
    const exporter = new PhoenixSpanExporter({ endpoint: server.url }, { clock: instantClock() });
    expect(await exporter.sendPhoenixSpans("limits", [span])).toMatchObject({ delivered: 1 });
    await exporter.shutdown();
    expect(Object.keys(server.spans()[0]!.attributes)).toHaveLength(100_000);
  });

  it("over the span cap: the largest go first, the cuts are recorded, ids, kind and times stay; from the real SDK", async () => {
    await setup();
    const spans = unlimitedSpans((tracer) => {
      const span = tracer.startSpan("wide", { attributes: { "openinference.span.kind": "CHAIN", "input.value": "question" } });
      for (let i = 0; i < 100_000; i++) span.setAttribute(`app.attr.${i}`, `${i}-${"x".repeat(i % 100 === 0 ? 2_000 : 60)}`);
      span.end();
    });
    const started = performance.now();
    const { sent, bodies } = await exportThrough(server, spans, { limits: { maxSpanBytes: 1_000_000 } });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(sent).toHaveLength(1);
    const out = sent[0]!;
    expect(Buffer.byteLength(bodies[0]!)).toBeLessThanOrEqual(1_000_000 + 11);
    expect(out.context.span_id).toBe(spans[0]!.spanContext().spanId);
    expect(out.span_kind).toBe("CHAIN");
    expect(out.attributes["input.value"]).toBe("question");
    // The 2,000-character values (every hundredth) are the largest: they go first.
    expect(out.attributes[LIMITS_ATTRIBUTE]).toMatch(/^span of \d+ bytes cut to fit 1000000; \d+ attributes dropped \(app\.attr\.\d*00, app\.attr\.\d*00, /);
  });
});

describe("the span cap keeps what matters", () => {
  it("source-convention copies are cut before OpenInference values; each cut value keeps its head and a marker", () => {
    const text = "y".repeat(900_000);
    const span = importSpan(2, { "input.value": text, "gen_ai.input.messages": text, "output.value": "short answer" });
    const out = createPrepareStage(undefined, { maxSpanBytes: 1_000_000 }, {}).prepare(span);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(1_000_000);
    expect(out.attributes["input.value"]).toBe(text);
    expect(out.attributes["gen_ai.input.messages"]).toMatch(/^y+…\[truncated [\d,]+ chars\]$/);
    expect(out.attributes["output.value"]).toBe("short answer");
    expect(out.attributes[LIMITS_ATTRIBUTE]).toMatch(/; 1 value truncated$/);
  });
});

describe("the request cap", () => {
  it("cuts a batch into requests under maxRequestBytes: a proxy's body limit is never hit", async () => {
    await setup({ maxBodyBytes: 64 * 1024 });
    const spans = unlimitedSpans((tracer) => {
      for (let i = 0; i < 50; i++) tracer.startSpan(`s${i}`, { attributes: { "openinference.span.kind": "LLM", "input.value": `${i} ${"z".repeat(5_000)}` } }).end();
    });
    const { sent, exporter } = await exportThrough(server, spans, { limits: { maxRequestBytes: 64 * 1024 } });
    expect(sent).toHaveLength(50);
    const requests = server.spanRequests();
    expect(requests.every((r) => r.status === 202 && r.bodyBytes <= 64 * 1024)).toBe(true);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(exporter.stats()).toMatchObject({ exported: 50, dropped: { total: 0 } });
  });

  it("without the cap the same batch meets the proxy's 413 (which the recovery then has to split)", async () => {
    await setup({ maxBodyBytes: 64 * 1024 });
    const spans = unlimitedSpans((tracer) => {
      for (let i = 0; i < 50; i++) tracer.startSpan(`s${i}`, { attributes: { "openinference.span.kind": "LLM", "input.value": `${i} ${"z".repeat(5_000)}` } }).end();
    });
    await exportThrough(server, spans);
    expect(server.spanRequests().some((r) => r.status === 413)).toBe(true);
  });

  it("a span that cannot be made to fit is reported and dropped as too-large, and the others are not held up", async () => {
    await setup();
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, limits: { maxRequestBytes: 4_096, maxAttributeValueLength: 8_000 } }, { clock: instantClock() });
    const outcome = await exporter.sendPhoenixSpans("limits", [importSpan(3, {}, "n".repeat(20_000)), importSpan(4, { ok: true }), importSpan(5, { ok: true })]);
    await exporter.shutdown();
    expect(outcome).toMatchObject({ delivered: 2, undelivered: 1 });
    expect(exporter.stats().dropped).toMatchObject({ "too-large": 1, total: 1 });
    expect(log.at("error").filter((l) => /could not fit span .*dropped: it is \d+ bytes even without its attributes/.test(l))).toHaveLength(1);
    expect(server.spans().map((s) => s.context.span_id).sort()).toEqual(["0000000000000004", "0000000000000005"]);
  });
});
