import { afterEach, describe, expect, it } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter } from "../../../src/index.js";
import { Credentials } from "../../../src/config/credentials.js";
import { encodeSpan, type EncodedSpan } from "../../../src/exporter/delivery/encoded-span.js";
import { RestSpanSink } from "../../../src/exporter/delivery/rest-span-sink.js";
import { HttpTransport } from "../../../src/http/http-transport.js";
import type { PhoenixSpan } from "../../../src/mapping/phoenix-span.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "../../servers/phoenix-server.js";
import { scriptedFaults } from "../../servers/faults.js";
import { captureDiag, instantClock, manySpans, spanIds, storedIds, type CapturedDiag } from "./support.js";

let server: PhoenixTestServer;
let log: CapturedDiag;
const exporters: PhoenixSpanExporter[] = [];

async function setup(options: PhoenixTestServerOptions = {}): Promise<void> {
  server = await startPhoenixServer(options);
  log = captureDiag();
}

function exporter(options: ConstructorParameters<typeof PhoenixSpanExporter>[0] = {}): PhoenixSpanExporter {
  const e = new PhoenixSpanExporter({ endpoint: server.url, projectName: "recovery", ...options }, { clock: instantClock() });
  exporters.push(e);
  return e;
}

function exportOnce(e: PhoenixSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => e.export(spans, resolve));
}

afterEach(async () => {
  for (const e of exporters.splice(0)) await e.shutdown({ timeoutMillis: 1_000 });
  log.restore();
  await server.close();
  expect(server.violations).toEqual([]);
});

const POISON_REASON = "Invalid attributes: value of 'input.value' cannot be converted for insertion";

describe("partial-batch recovery on Phoenix's create-spans route", () => {
  it("one invalid span in a batch of 50: 49 stored, the 50th reported once with Phoenix's reason", async () => {
    await setup({ invalidSpan: (span) => (span.name === "s17" ? POISON_REASON : undefined) });
    const e = exporter();
    const spans = manySpans(50);
    const result = await exportOnce(e, spans);

    expect(result.code).toBe(ExportResultCode.FAILED);
    const stored = storedIds(server);
    expect(stored.count).toBe(49);
    const poison = spans[17]!.spanContext().spanId;
    expect(stored.ids.has(poison)).toBe(false);
    // First request refused as a whole (400), then the 49 others at once.
    expect(server.spanRequests().map((r) => [r.status, (r.json as { data: unknown[] }).data.length])).toEqual([
      [400, 50],
      [202, 49],
    ]);
    const errors = log.at("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(poison);
    expect(errors[0]).toContain(POISON_REASON);
    expect(e.stats()).toMatchObject({ exported: 49, invalid: 1, duplicate: 0, dropped: { total: 0 } });
  });

  it("reads the 400 wrapped as {detail: \"<json>\"} (FastAPI's HTTPException form) the same way", async () => {
    await setup({ rejectionFormat: "detail-string", invalidSpan: (span) => (span.name === "s3" ? POISON_REASON : undefined) });
    const e = exporter();
    await exportOnce(e, manySpans(10));
    expect(storedIds(server).count).toBe(9);
    expect(e.stats()).toMatchObject({ exported: 9, invalid: 1 });
    expect(log.at("error")[0]).toContain(POISON_REASON);
  });

  it("a 400 listing duplicates and invalid spans: duplicates count as delivered, the invalid one is dropped, the rest re-sent at once", async () => {
    await setup({ invalidSpan: (span) => (span.name === "s40" ? POISON_REASON : undefined) });
    const e = exporter();
    const spans = manySpans(50);
    // Ten of them are stored already (as after a retry whose first answer was lost).
    expect((await exportOnce(e, spans.slice(0, 10))).code).toBe(ExportResultCode.SUCCESS);
    await server.waitForSpans(10);

    await exportOnce(e, spans);
    const second = server.spanRequests().slice(1);
    expect(second.map((r) => r.status)).toEqual([400, 202]);
    expect((second[1]!.json as { data: unknown[] }).data).toHaveLength(39);
    const stored = storedIds(server);
    expect(stored.count).toBe(49);
    expect(stored.ids.size).toBe(49);
    expect(e.stats()).toMatchObject({ exported: 10 + 39, duplicate: 10, invalid: 1 });
  });

  it("a response lost after Phoenix stored the spans: the retry's 400 duplicates count as delivered, nothing is stored twice", async () => {
    await setup();
    server.faults.push(scriptedFaults([{ kind: "lose-response" }]));
    const e = exporter();
    const spans = manySpans(50);
    const result = await exportOnce(e, spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    await server.waitForSpans(50);
    expect(server.spanRequests().map((r) => r.status)).toEqual([-1, 400]);
    expect(storedIds(server)).toEqual({ ids: new Set(spanIds(spans)), count: 50 });
    expect(e.stats()).toMatchObject({ exported: 0, duplicate: 50, retried: 1 });
  });

  it("413 above the server's body limit: the batch is split until each part fits; a span too large alone is dropped and counted", async () => {
    await setup({ maxBodyBytes: 40_000 });
    const e = exporter();
    // About 1.6 KB each: 50 of them (~80 KB) need splitting in four.
    const spans = manySpans(50, { padding: 1_500 });
    const huge = manySpans(1, { padding: 60_000, name: () => "huge" });
    await exportOnce(e, [...spans, ...huge]);
    const stored = storedIds(server);
    expect(stored.count).toBe(50);
    expect(stored.ids).toEqual(new Set(spanIds(spans)));
    expect(e.stats().dropped["too-large"]).toBe(1);
    expect(log.at("error").join("\n")).toMatch(/too large.*HTTP 413/);
    expect(server.spanRequests().filter((r) => r.status === 202).every((r) => r.bodyBytes <= 40_000)).toBe(true);
  });

  it("a 422 that names no span (e.g. a proxy's validation) is bisected down to the culprit; the others are stored", async () => {
    await setup();
    const spans = manySpans(50);
    const culprit = spans[33]!.spanContext().spanId;
    server.faults.push((request) =>
      request.body.includes(culprit) ? { kind: "respond", status: 422, body: { detail: [{ loc: ["body"], msg: "span 33 is bad" }] } } : undefined,
    );
    const e = exporter();
    await exportOnce(e, spans);
    const stored = storedIds(server);
    expect(stored.count).toBe(49);
    expect(stored.ids.has(culprit)).toBe(false);
    expect(e.stats()).toMatchObject({ exported: 49, invalid: 1 });
    // log2(50) rounds of halving: a handful of requests, not one per span.
    expect(server.spanRequests().length).toBeLessThanOrEqual(14);
    expect(log.at("error").join("\n")).toContain("span 33 is bad");
  });
});

describe("RestSpanSink repairs what Phoenix refuses through a fault of ours", () => {
  function phoenixSpan(id: string, overrides: Partial<PhoenixSpan> = {}): EncodedSpan {
    return encodeSpan({
      name: `span-${id}`,
      context: { trace_id: "a".repeat(31) + id.slice(-1), span_id: id },
      span_kind: "LLM",
      parent_id: null,
      start_time: "2026-01-01T12:00:00.000001Z",
      end_time: "2026-01-01T12:00:01.000001Z",
      status_code: "OK",
      status_message: "",
      attributes: { "llm.model_name": "gpt-4o" },
      events: [],
      ...overrides,
    });
  }

  it("a time without a timezone (422 with its position) is read as UTC and re-sent; the rest is stored in the same pass", async () => {
    await setup();
    const http = new HttpTransport({ baseUrl: server.url, credentials: new Credentials(undefined, undefined, "option") });
    const sink = new RestSpanSink(http, server.url);
    const spans = [
      phoenixSpan("1000000000000001"),
      phoenixSpan("1000000000000002", { start_time: "2026-01-01T12:00:00.000001" }),
      phoenixSpan("1000000000000003"),
    ];
    const result = await sink.write("repairs", spans, 2_000);
    expect(result).toMatchObject({ delivered: 3, repaired: 1, rejected: [], failed: [] });
    await server.waitForSpans(3);
    expect(server.spanRequests().map((r) => r.status)).toEqual([422, 202]);
    const repaired = server.spans("repairs").find((s) => s.context.span_id === "1000000000000002")!;
    expect(repaired.startMicros).toBe(Date.UTC(2026, 0, 1, 12) * 1000 + 1);
    expect(log.at("warn").join("\n")).toMatch(/Repaired \(times without a timezone read as UTC\)/);
    await sink.shutdown();
  });

  it("a status code outside OK/ERROR/UNSET (400 invalid_spans) is set to one Phoenix knows", async () => {
    await setup();
    const http = new HttpTransport({ baseUrl: server.url, credentials: new Credentials(undefined, undefined, "option") });
    const sink = new RestSpanSink(http, server.url);
    const spans = [phoenixSpan("2000000000000001", { status_code: "error" as PhoenixSpan["status_code"] }), phoenixSpan("2000000000000002")];
    const result = await sink.write("repairs", spans, 2_000);
    expect(result).toMatchObject({ delivered: 2, repaired: 1 });
    await server.waitForSpans(2);
    expect(server.spans("repairs").find((s) => s.context.span_id === "2000000000000001")!.status_code).toBe("ERROR");
    await sink.shutdown();
  });
});
