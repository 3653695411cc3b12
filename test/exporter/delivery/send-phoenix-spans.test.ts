import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PhoenixSpanExporter, type PhoenixSpan } from "../../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  await server.close();
  expect(server.violations).toEqual([]);
});

const span = (i: number, extra: Partial<PhoenixSpan> = {}): PhoenixSpan => ({
  name: `imported-${i}`,
  context: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: (i + 1).toString(16).padStart(16, "a") },
  span_kind: "LLM",
  parent_id: null,
  start_time: "2026-01-01T12:00:00.000001Z",
  end_time: "2026-01-01T12:00:01.000002Z",
  status_code: "OK",
  status_message: "",
  attributes: { "llm.model_name": "gpt-4o" },
  events: [],
  ...extra,
});

describe("PhoenixSpanExporter.sendPhoenixSpans (the import path)", () => {
  it("sends already-mapped spans in requests of 50 and counts duplicates on a second run", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    const spans = Array.from({ length: 120 }, (_, i) => span(i));
    const first = await exporter.sendPhoenixSpans("imported", spans);
    expect(first).toEqual({ delivered: 120, duplicates: 0, rejected: [], undelivered: 0 });
    expect(server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length)).toEqual([50, 50, 20]);
    await server.waitForSpans(120);
    const second = await exporter.sendPhoenixSpans("imported", spans);
    expect(second).toEqual({ delivered: 0, duplicates: 120, rejected: [], undelivered: 0 });
    expect(server.spans("imported")).toHaveLength(120);
    expect(server.spans("imported")[0]!.attributes).toEqual({ "llm.model_name": "gpt-4o" });
    await exporter.shutdown();
  });

  it("reports a span Phoenix refuses, with its reason, and stores the rest", async () => {
    const spans = [span(1), span(2), span(3)];
    await server.close();
    server = await startPhoenixServer({
      invalidSpan: (s) => ((s.context as { span_id: string }).span_id === spans[1]!.context.span_id ? "bad span" : undefined),
    });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    const outcome = await exporter.sendPhoenixSpans("imported", spans);
    expect(outcome.delivered).toBe(2);
    expect(outcome.rejected.map((r) => [r.spanId, r.reason])).toEqual([[spans[1]!.context.span_id, expect.stringContaining("bad span")]]);
    await exporter.shutdown();
  });

  it("refuses a bad project name", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    await expect(exporter.sendPhoenixSpans("a/b", [span(1)])).rejects.toThrow(/not allow/);
    await exporter.shutdown();
  });
});
