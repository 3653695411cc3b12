import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixSpanExporter } from "../../../src/index.js";
import { recordSpans } from "../../helpers/tracing.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "../../servers/phoenix-server.js";
import { captureDiag, instantClock, manySpans, spanIds, storedIds, type CapturedDiag } from "./support.js";

const KEY = "px-secret-key-0123456789";
const WRONG = "px-wrong-key-9876543210";

let server: PhoenixTestServer;
let log: CapturedDiag;
const cleanups: Array<() => Promise<void> | void> = [];

async function setup(options: PhoenixTestServerOptions = {}): Promise<void> {
  server = await startPhoenixServer(options);
  log = captureDiag();
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  log.restore();
  await server.close();
  expect(server.violations).toEqual([]);
});

function exportOnce(e: PhoenixSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => e.export(spans, resolve));
}

describe("401/403: not retried, one clear error, no key anywhere", () => {
  it("a wrong key: one diag.error naming PHOENIX_API_KEY, each batch sent once, spans dropped and counted, the key nowhere", async () => {
    await setup({ apiKey: KEY });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, apiKey: WRONG, projectName: "auth" }, { clock: instantClock() });
    const results = await Promise.all([exportOnce(exporter, manySpans(50)), exportOnce(exporter, manySpans(50)), exportOnce(exporter, manySpans(20))]);
    await exporter.forceFlush();

    expect(results.every((r) => r.code === ExportResultCode.FAILED)).toBe(true);
    // No retries: three batches, three requests, each answered 401.
    expect(server.spanRequests().map((r) => r.status)).toEqual([401, 401, 401]);
    const errors = log.at("error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/401 Unauthorized.*PHOENIX_API_KEY/);
    expect(errors[0]).toMatch(/spans are dropped \(configure spoolDir to keep them\)/);
    const stats = exporter.stats();
    expect(stats).toMatchObject({ retried: 0, exported: 0, dropped: { unauthorized: 120, total: 120 }, degraded: true });
    // The key appears in no log line, no stats, no error, no inspection of the exporter.
    const everything = [
      ...log.lines.map((l) => l.message),
      JSON.stringify(stats),
      ...results.map((r) => `${r.error?.message} ${r.error?.stack}`),
      inspect(exporter, { depth: 5, showHidden: true }),
    ].join("\n");
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(KEY);
    await exporter.shutdown();
  });

  it("with a spool, refused spans are kept on disk and delivered by a process with the right key", async () => {
    await setup({ apiKey: KEY });
    const dir = mkdtempSync(join(tmpdir(), "px-auth-spool-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const wrong = new PhoenixSpanExporter({ endpoint: server.url, apiKey: WRONG, projectName: "auth", spoolDir: dir }, { clock: instantClock() });
    const spans = manySpans(30);
    await exportOnce(wrong, spans);
    expect(wrong.stats()).toMatchObject({ spooled: 30, dropped: { total: 0 } });
    expect(log.at("error")).toHaveLength(1);
    expect(log.at("error")[0]).toMatch(/spans go to the spool/);
    await wrong.shutdown({ timeoutMillis: 500 });

    const right = new PhoenixSpanExporter({ endpoint: server.url, apiKey: KEY, projectName: "auth", spoolDir: dir }, { clock: instantClock() });
    await server.waitForSpans(30);
    expect(storedIds(server)).toEqual({ ids: new Set(spanIds(spans)), count: 30 });
    await right.shutdown();
    expect(right.stats()).toMatchObject({ replayed: 30, exported: 30 });
  });

  it("403 (a viewer's key) is treated the same way, with the write-access advice", async () => {
    await setup({ apiKey: KEY, viewerKeys: ["viewer-key-abcdef"] });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, apiKey: "viewer-key-abcdef", projectName: "auth" }, { clock: instantClock() });
    await exportOnce(exporter, manySpans(5));
    expect(server.spanRequests().map((r) => r.status)).toEqual([403]);
    expect(log.at("error")).toHaveLength(1);
    expect(log.at("error")[0]).toMatch(/403 Forbidden.*write access/);
    await exporter.shutdown();
  });
});

describe("OTLP fallback for Phoenix before 10.12", () => {
  function agentTrace(project?: string): ReadableSpan[] {
    return recordSpans((provider) => {
      const tracer = provider.getTracer("fallback");
      const root = tracer.startSpan("agent", { attributes: { "openinference.span.kind": "AGENT", "input.value": "hi" } });
      const ctx = trace.setSpan(ROOT_CONTEXT, root);
      const llm = tracer.startSpan(
        "chat",
        { attributes: { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o", "llm.token_count.prompt": 12, "tag.tags": ["a", "b"] } },
        ctx,
      );
      llm.addEvent("first-token", { "chunk.index": 0 });
      llm.end();
      root.end();
    }, project);
  }

  it("auto: a 404 on the span route switches to OTLP/HTTP protobuf, logged once; spans arrive with kind, project, parent and attributes", async () => {
    await setup({ spanRoute: false });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "legacy" }, { clock: instantClock() });
    const first = agentTrace();
    const second = agentTrace();
    expect((await exportOnce(exporter, first)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportOnce(exporter, second)).code).toBe(ExportResultCode.SUCCESS);
    await server.waitForSpans(4);

    // One REST attempt, then OTLP only.
    expect(server.requests.map((r) => `${r.path.startsWith("/v1/projects") ? "REST" : r.path} ${r.status}`)).toEqual([
      "REST 404",
      "/v1/traces 200",
      "/v1/traces 200",
    ]);
    expect(server.requests[1]!.headers["x-project-name"]).toBe("legacy");
    expect(server.requests[1]!.headers["content-type"]).toBe("application/x-protobuf");
    expect(log.at("warn").filter((l) => /older than 10\.12/.test(l))).toHaveLength(1);
    const stored = server.spans("legacy");
    expect(stored.map((s) => s.context.span_id).sort()).toEqual([...spanIds(first), ...spanIds(second)].sort());
    const llm = stored.find((s) => s.name === "chat")!;
    const agent = stored.find((s) => s.name === "agent" && s.context.trace_id === llm.context.trace_id)!;
    expect(llm.span_kind).toBe("LLM");
    expect(agent.span_kind).toBe("AGENT");
    expect(llm.parent_id).toBe(agent.context.span_id);
    expect(llm.attributes).toMatchObject({ "llm.model_name": "gpt-4o", "llm.token_count.prompt": 12, "tag.tags": ["a", "b"] });
    expect(llm.events.map((e) => e.name)).toEqual(["first-token"]);
    expect(exporter.stats()).toMatchObject({ exported: 4, destination: `${server.url}/v1/traces (OTLP)` });
    await exporter.shutdown();
  });

  it("the project travels as the resource attribute too (used when no header is set, e.g. a non-ASCII name)", async () => {
    await setup({ spanRoute: false });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "café-agents", transport: "otlp" }, { clock: instantClock() });
    await exportOnce(exporter, agentTrace());
    expect(server.requests[0]!.headers["x-project-name"]).toBeUndefined();
    expect(server.spans("café-agents")).toHaveLength(2);
    await exporter.shutdown();
  });

  it('transport: "rest" against an old Phoenix drops the spans with one error saying what to set', async () => {
    await setup({ spanRoute: false });
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, transport: "rest" }, { clock: instantClock() });
    await exportOnce(exporter, manySpans(3));
    await exportOnce(exporter, manySpans(3));
    expect(log.at("error")).toHaveLength(1);
    expect(log.at("error")[0]).toMatch(/older than 10\.12.*"auto" or "otlp"/);
    expect(exporter.stats().dropped).toMatchObject({ refused: 6 });
    expect(server.requests.every((r) => r.path !== "/v1/traces")).toBe(true);
    await exporter.shutdown();
  });

  it("a 404 that is not a missing route (an unknown project id) does not switch", async () => {
    await setup();
    const projectId = Buffer.from("Project:999").toString("base64");
    const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: projectId }, { clock: instantClock() });
    await exportOnce(exporter, manySpans(2));
    expect(server.requests.map((r) => r.status)).toEqual([404]);
    expect(exporter.stats()).toMatchObject({ dropped: { refused: 2 }, destination: `${server.url} (REST)` });
    // One line for the refused request, not one per span.
    expect(log.at("error")).toHaveLength(1);
    expect(log.at("error")[0]).toMatch(/refused 2 spans of project .*HTTP 404 .*not found/);
    await exporter.shutdown();
  });

  it("the transport option is checked", () => {
    expect(() => new PhoenixSpanExporter({ endpoint: "http://127.0.0.1:1", transport: "grpc" as never })).toThrow(/"auto", "rest" or "otlp"/);
  });
});
