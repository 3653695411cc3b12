import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BatchSpanProcessor as Otel2BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter as Otel2OtlpExporter } from "otel2-exporter-trace-otlp-proto";
import { PhoenixConnector } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { isolatePhoenixEnvironment } from "./support.js";

/**
 * The connector makes its spans itself (no OpenTelemetry SDK is loaded by
 * the package); a user's own SDK processor must take them as it takes an SDK
 * tracer's spans: OpenTelemetry JS 2's BatchSpanProcessor with the OTLP
 * exporter here, and JS 3's where the Node line runs it.
 */
let server: PhoenixTestServer;
beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
});
afterEach(async () => {
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function logJob(connector: PhoenixConnector): Promise<string> {
  await connector.connect({ endpoint: server.url, projectId: "sdk-user" });
  const jobId = await connector.submitJob({ baseModel: "llama-3-8b" });
  const parent = await connector.logSpan({ jobId, name: "generate", spanType: "llm", inputData: "What is LoRA?", outputData: "A low-rank adapter." });
  await connector.logSpan({ jobId, name: "search", spanType: "retriever", parentSpanId: parent, inputData: "lora" });
  await connector.completeJob(jobId, { status: "succeeded" });
  await connector.disconnect();
  return jobId;
}

const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
const otel3Runs = major > 22 || (major === 22 && minor >= 15);

describe("connector spans through a user's own OpenTelemetry SDK processor", () => {
  it("OpenTelemetry JS 2: BatchSpanProcessor + OTLP/protobuf exporter delivers the job's trace with its project and parents", async () => {
    const processor = new Otel2BatchSpanProcessor(new Otel2OtlpExporter({ url: `${server.url}/v1/traces` }));
    const jobId = await logJob(new PhoenixConnector({ spanProcessor: processor, annotationDelayMillis: 0 }));
    await processor.shutdown();
    await server.waitForSpans(3);
    const spans = server.spans("sdk-user");
    expect(spans.map((s) => s.name).sort()).toEqual(["generate", "job", "search"]);
    expect(new Set(spans.map((s) => s.context.trace_id))).toEqual(new Set([jobId]));
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect(byName.get("search")!.parent_id).toBe(byName.get("generate")!.context.span_id);
    expect(byName.get("generate")!.parent_id).toBe(byName.get("job")!.context.span_id);
  });

  it.skipIf(!otel3Runs)("OpenTelemetry JS 3 (Node >= 22.15): the same through @opentelemetry/sdk-trace's BatchSpanProcessor", async () => {
    const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace");
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
    // OpenTelemetry JS 3 takes the exporter as an option.
    const processor = new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${server.url}/v1/traces` }) });
    const jobId = await logJob(new PhoenixConnector({ spanProcessor: processor, annotationDelayMillis: 0 }));
    await processor.shutdown();
    await server.waitForSpans(3);
    expect(new Set(server.spans("sdk-user").map((s) => s.context.trace_id))).toEqual(new Set([jobId]));
  });
});
