import { trace, context, SpanKind } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanExporter, PhoenixSpanProcessor, mapSpan } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { tracerProvider } from "../helpers/tracing.js";
import { toReadableSpan } from "./producers/captured-span.js";
import { loadFixtures } from "./producers/fixture.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  await server.close();
  expect(server.violations).toEqual([]);
});

async function readBack(project: string): Promise<Array<{ name: string; span_kind: string; parent_id: string | null; context: { span_id: string }; attributes: Record<string, unknown> }>> {
  const response = await fetch(`${server.url}/v1/projects/${project}/spans?limit=1000`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: never[] }).data;
}

describe("mapped attributes read back from Phoenix exactly as sent", () => {
  it("for every span of the fixture corpus", async () => {
    const spans = loadFixtures().flatMap((f) => f.spans.map(toReadableSpan));
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "corpus" });
    await new Promise((resolve) => exporter.export(spans, resolve));
    await server.waitForSpans(spans.length);
    const stored = new Map((await readBack("corpus")).map((s) => [s.context.span_id, s]));
    for (const span of spans) {
      const mapped = mapSpan(span);
      const back = stored.get(mapped.context.span_id);
      expect(back, span.name).toBeDefined();
      expect(back!.span_kind).toBe(mapped.span_kind);
      expect(back!.attributes).toEqual(mapped.attributes);
    }
    await exporter.shutdown();
  });
});

describe("the span filter", () => {
  it('"llm" keeps recognised spans and re-parents them past dropped ones, so the trace keeps its root', async () => {
    const processor = new PhoenixSpanProcessor({ endpoint: server.url, projectName: "filtered", spanFilter: "llm" });
    const tracer = tracerProvider([processor]).getTracer("app");
    const under = (parent: ReturnType<typeof tracer.startSpan>) => trace.setSpan(context.active(), parent);
    const http = tracer.startSpan("POST /ask", { kind: SpanKind.SERVER });
    const chain = tracer.startSpan("ai.generateText", { attributes: { "ai.operationId": "ai.generateText" } }, under(http));
    const db = tracer.startSpan("SELECT users", { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql" } }, under(chain));
    tracer.startSpan("ai.generateText.doGenerate", { attributes: { "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "m" } }, under(db)).end();
    db.end();
    chain.end();
    http.end();
    await processor.forceFlush();
    await server.waitForSpans(2);
    const stored = await readBack("filtered");
    expect(stored.map((s) => s.name).sort()).toEqual(["ai.generateText", "ai.generateText.doGenerate"]);
    const root = stored.find((s) => s.name === "ai.generateText")!;
    const llm = stored.find((s) => s.name === "ai.generateText.doGenerate")!;
    expect(root.parent_id).toBeNull();
    expect(llm.parent_id).toBe(root.context.span_id);
    expect(llm.span_kind).toBe("LLM");
    await processor.shutdown();
  });

  it("decides again at end: a span whose kind is set after start is kept, and a custom filter is honoured", async () => {
    const processor = new PhoenixSpanProcessor({
      endpoint: server.url,
      projectName: "custom",
      spanFilter: (span, kind) => kind === "LLM" || span.name === "keep-me",
    });
    const tracer = tracerProvider([processor]).getTracer("app");
    const late = tracer.startSpan("chat late");
    late.setAttributes({ "gen_ai.operation.name": "chat", "gen_ai.request.model": "m" });
    late.end();
    tracer.startSpan("keep-me").end();
    tracer.startSpan("drop-me", { attributes: { "langsmith.span.kind": "chain" } }).end();
    await processor.forceFlush();
    await server.waitForSpans(2);
    expect((await readBack("custom")).map((s) => s.name).sort()).toEqual(["chat late", "keep-me"]);
    await processor.shutdown();
  });
});
