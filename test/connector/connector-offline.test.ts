import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { PhoenixConnector, PhoenixSpanExporter, localProjectId, readAllPages } from "../../src/index.js";
import { startPhoenixServer } from "../servers/phoenix-server.js";
import { schemaValidator } from "../servers/phoenix-schema.js";
import { recordSpans } from "../helpers/tracing.js";
import { HEX16, fakeClock, isolatePhoenixEnvironment, temporaryDirectory } from "./support.js";

let dir: { path: string; remove: () => void };
beforeEach(() => {
  isolatePhoenixEnvironment();
  dir = temporaryDirectory();
});
afterEach(() => {
  vi.unstubAllEnvs();
  dir.remove();
});

const spansFile = (project: string) => join(dir.path, "projects", project, "spans.jsonl");
const fileLines = (file: string) => readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as unknown);

it("runs the whole connector API against file://DIR and reads everything back through the same back-end seam", async () => {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: `file://${dir.path}` });
  // An empty store lists only `default`, as Phoenix does.
  expect(connector.project).toEqual({ name: "default", id: localProjectId("default") });
  expect(connector.backend.kind).toBe("local");

  const jobId = await connector.submitJob({ baseModel: "llama-3-8b", algorithm: "lora", projectName: "offline" });
  const llm = await connector.logSpan({ jobId, name: "chat", spanType: "llm", inputData: "hi", outputData: "hello" });
  await connector.logMetrics({ jobId, metrics: { loss: 0.3 }, step: 5 });
  const evaluation = await connector.logEvaluation({ jobId, evalName: "qa", predictions: ["a", "b"], references: ["a", "c"] });
  await connector.logAnnotation({ target: "span", id: llm, name: "thumbs", label: "up" });
  await connector.completeJob(jobId, { status: "succeeded" });

  const url = connector.getTraceUrl(jobId);
  expect(url).toBe(`file://${spansFile("offline")}#trace_id=${jobId}`);

  const spans = await readAllPages((cursor) => connector.backend.readSpans("offline", { traceIds: [jobId], ...(cursor ? { cursor } : {}) }));
  expect(spans.map((s) => s.name).sort()).toEqual(["chat", "job", "metrics", "qa"]);
  expect(spans.find((s) => s.name === "chat")).toMatchObject({ span_kind: "LLM", context: { span_id: llm, trace_id: jobId } });
  expect(evaluation.spanId).toMatch(HEX16);
  const traceAnnotations = await connector.backend.readAnnotations("trace", "offline", { ids: [jobId] });
  expect(traceAnnotations.map((a) => [a.name, a.result?.score, a.identifier]).sort()).toEqual([
    ["loss", 0.3, "step-5"],
    ["qa.accuracy", 0.5, `eval-${evaluation.spanId}`],
  ]);
  const spanAnnotations = await connector.backend.readAnnotations("span", "offline", { ids: [llm] });
  expect(spanAnnotations.map((a) => [a.name, a.result?.label, a.annotator_kind])).toEqual([["thumbs", "up", "CODE"]]);

  const validate = schemaValidator("Span");
  for (const line of fileLines(spansFile("offline"))) expect(validate(line), JSON.stringify(validate.errors)).toBe(true);
  await connector.disconnect();
  await connector.disconnect();
});

it("PHOENIX_COLLECTOR_ENDPOINT=file://DIR selects the local store with no option at all", async () => {
  vi.stubEnv("PHOENIX_COLLECTOR_ENDPOINT", `file://${dir.path}`);
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ projectId: "from-env" });
  await connector.completeJob(await connector.submitJob({}));
  await connector.disconnect();
  expect(fileLines(spansFile("from-env"))).toHaveLength(1);
});

it("an annotation whose span never reaches the store is given up after the bounded wait, and nothing is written for it", async () => {
  const clock = fakeClock();
  const connector = new PhoenixConnector({ annotationDelayMillis: 0, clock, annotationTimeoutMillis: 2_000 });
  await connector.connect({ endpoint: `file://${dir.path}` });
  await connector.logAnnotation({ target: "trace", id: "0af7651916cd43dd8448eb211c80319c", name: "orphan", score: 1 });
  expect(await connector.flush()).toEqual({ annotationsStored: 0, annotationsFailed: 1 });
  expect(clock.elapsed()).toBeLessThanOrEqual(2_000);
  await connector.disconnect();
});

it("the local store holds exactly what the REST route receives: the same Span objects, line for line", async () => {
  const server = await startPhoenixServer();
  try {
    const spans = recordSpans((provider) => {
      const tracer = provider.getTracer("t");
      tracer
        .startSpan("llm", {
          attributes: {
            "openinference.span.kind": "LLM",
            "llm.input_messages.0.message.role": "user",
            "llm.input_messages.0.message.content": "hi",
            "llm.token_count.prompt": 3,
            "tag.tags": ["x", "y"],
          },
        })
        .end();
      const chain = tracer.startSpan("chain", { attributes: { "openinference.span.kind": "CHAIN", "input.value": "q" } });
      chain.addEvent("step", { n: 1 });
      chain.end();
    }, "parity");
    const exportTo = (endpoint: string, batch: ReadableSpan[]) =>
      new Promise<ExportResult>((resolve) => {
        const exporter = new PhoenixSpanExporter({ endpoint });
        exporter.export(batch, (result) => void exporter.shutdown().then(() => resolve(result)));
      });
    expect((await exportTo(server.url, spans)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportTo(`file://${dir.path}`, spans)).code).toBe(ExportResultCode.SUCCESS);
    const restBody = server.spanRequests().flatMap((r) => (r.json as { data: unknown[] }).data);
    expect(fileLines(spansFile("parity"))).toEqual(restBody);
    expect(server.violations).toEqual([]);
  } finally {
    await server.close();
  }
});
