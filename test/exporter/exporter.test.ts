import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { recordSpans } from "../helpers/tracing.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  await server.close();
  expect(server.violations).toEqual([]);
});

function exportOnce(exporter: PhoenixSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const someSpans = (n: number, project?: string) =>
  recordSpans((p) => {
    const tracer = p.getTracer("t");
    for (let i = 0; i < n; i++) tracer.startSpan(`s${i}`).end();
  }, project);

describe("PhoenixSpanExporter", () => {
  it("answers SUCCESS once Phoenix acknowledged every span", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    const result = await exportOnce(exporter, someSpans(3));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.spanRequests().map((r) => r.status)).toEqual([202]);
    await exporter.shutdown();
  });

  it("cuts a large export into requests of 50 spans", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    await exportOnce(exporter, someSpans(512));
    const sizes = server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(512);
    expect(Math.max(...sizes)).toBe(50);
    expect(sizes).toHaveLength(11);
    await exporter.shutdown();
  });

  it("answers FAILED when Phoenix does not store the spans", async () => {
    server.faults.push(() => ({ kind: "respond", status: 400, body: { detail: "nope" } }));
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    const result = await exportOnce(exporter, someSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    await exporter.shutdown();
  });

  it("after shutdown, export answers FAILED at once without a request", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    await exporter.shutdown();
    await exporter.shutdown();
    const before = server.requests.length;
    let answered: ExportResult | undefined;
    exporter.export(someSpans(1), (r) => (answered = r));
    expect(answered?.code).toBe(ExportResultCode.FAILED);
    expect(server.requests.length).toBe(before);
  });

  it("writes Phoenix's REST Span shape: hex ids, microsecond times with a zone, flat attributes", async () => {
    const exporter = new PhoenixSpanExporter({ endpoint: server.url });
    const spans = recordSpans((p) => {
      const span = p.getTracer("t").startSpan("timed", { startTime: [1767268800, 123456789] });
      span.setAttribute("nested.key.value", "x");
      span.end([1767268801, 5000]);
    });
    await exportOnce(exporter, spans);
    const sent = (server.spanRequests()[0]!.json as { data: Array<Record<string, unknown>> }).data[0]!;
    expect(sent.start_time).toBe("2026-01-01T12:00:00.123456Z");
    expect(sent.end_time).toBe("2026-01-01T12:00:01.000005Z");
    expect((sent.context as { trace_id: string }).trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect((sent.context as { span_id: string }).span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(sent.parent_id).toBeNull();
    expect(sent.span_kind).toBe("UNKNOWN");
    expect(sent.status_code).toBe("UNSET");
    expect(sent.attributes).toEqual({ "nested.key.value": "x" });
    await exporter.shutdown();
  });
});

describe("option names", () => {
  it("a misspelt option is a PhoenixConfigurationError naming the closest one, on the exporter and the processor", async () => {
    const { PhoenixSpanExporter, PhoenixSpanProcessor, PhoenixConfigurationError } = await import("../../src/index.js");
    expect(() => new PhoenixSpanExporter({ endpont: "http://127.0.0.1:1" } as never)).toThrow(PhoenixConfigurationError);
    expect(() => new PhoenixSpanExporter({ endpont: "http://127.0.0.1:1" } as never)).toThrow(/"endpont" \(did you mean endpoint\?\)/);
    expect(() => new PhoenixSpanProcessor({ scheduledDelayMilis: 10 } as never)).toThrow(/did you mean scheduledDelayMillis\?/);
  });
});
