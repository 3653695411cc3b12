import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhoenixConnector, SPAN_TYPES, type PhoenixConnectorOptions } from "../../src/index.js";
import type { ConnectOptions } from "../../src/connector/base.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { globalId, type StoredSpan } from "../servers/phoenix-store.js";
import { HEX16, HEX32, isolatePhoenixEnvironment } from "./support.js";

let server: PhoenixTestServer;
const open: PhoenixConnector[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function connect(options: ConnectOptions = {}, connectorOptions: PhoenixConnectorOptions = {}): Promise<PhoenixConnector> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0, ...connectorOptions });
  open.push(connector);
  await connector.connect({ endpoint: server.url, ...options });
  return connector;
}

function spanNamed(name: string, project?: string): StoredSpan {
  const found = server.spans(project).filter((s) => s.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
}

const traceAnnotations = (traceId: string) =>
  server.store.annotations.filter((a) => a.target === "trace" && a.targetId === traceId);

describe("connect", () => {
  it("checks the server with GET /v1/projects and takes the project Phoenix lists first (newest)", async () => {
    server.store.createProject("older");
    const newer = server.store.createProject("newer");
    const connector = await connect();
    expect(connector.project).toEqual({ name: "newer", id: globalId("Project", newer.rowId) });
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/v1/projects", status: 200 });
  });

  it("takes projectId as a name or as a global id; a new name is created so its global id is known", async () => {
    const existing = server.store.createProject("existing");
    const byId = await connect({ projectId: globalId("Project", existing.rowId) });
    expect(byId.project.name).toBe("existing");
    const byName = await connect({ projectId: "brand-new" });
    const created = server.store.findProject("brand-new")!;
    expect(byName.project).toEqual({ name: "brand-new", id: globalId("Project", created.rowId) });
  });

  it("falls back to PHOENIX_PROJECT when projectId is absent", async () => {
    server.store.createProject("newest-but-not-chosen");
    vi.stubEnv("PHOENIX_PROJECT", "from-env");
    const connector = await connect();
    expect(connector.project.name).toBe("from-env");
  });
});

describe("jobs", () => {
  it("submitJob returns the trace id; the root CHAIN span arrives at completeJob with the config, its real duration and OK", async () => {
    const connector = await connect();
    const config = {
      baseModel: "llama-3-8b",
      modelSource: "huggingface",
      algorithm: "lora",
      rank: 16,
      alpha: 32,
      dropout: 0.05,
      targetModules: ["q_proj", "v_proj"],
      projectName: "fine-tune",
      jobName: "lora llama-3-8b",
      epochs: 3,
      schedule: { warmup: 100 },
    };
    const before = Date.now() * 1000;
    const jobId = await connector.submitJob(config);
    expect(jobId).toMatch(HEX32);
    await connector.flush();
    expect(server.spans()).toHaveLength(0); // the root is exported when the job ends
    await connector.completeJob(jobId);
    const after = Date.now() * 1000;

    const root = spanNamed("lora llama-3-8b", "fine-tune");
    expect(root.context.trace_id).toBe(jobId);
    expect(root.parent_id).toBeNull();
    expect(root.span_kind).toBe("CHAIN");
    expect(root.status_code).toBe("OK");
    expect(root.startMicros).toBeGreaterThanOrEqual(before - 1000);
    expect(root.endMicros).toBeLessThanOrEqual(after + 1000);
    expect(root.endMicros).toBeGreaterThan(root.startMicros);
    expect(root.attributes).toMatchObject({
      "job.config.baseModel": "llama-3-8b",
      "job.config.rank": 16,
      "job.config.dropout": 0.05,
      "job.config.targetModules": ["q_proj", "v_proj"],
      "job.config.schedule": '{"warmup":100}',
      "job.status": "succeeded",
      "input.mime_type": "application/json",
      "tag.tags": ["job"],
    });
    expect(JSON.parse(root.attributes.metadata as string)).toEqual(config);
  });

  it("completeJob with failed is ERROR with the message; cancelled is UNSET; completing twice is a clear error", async () => {
    const connector = await connect();
    const failed = await connector.submitJob({ jobName: "failing" });
    const cancelled = await connector.submitJob({ jobName: "cancelled" });
    await connector.completeJob(failed, { status: "failed", message: "CUDA out of memory" });
    await connector.completeJob(cancelled, { status: "cancelled", outputData: { stoppedAt: 40 } });
    await server.waitForSpans(2);
    expect(spanNamed("failing")).toMatchObject({ status_code: "ERROR", status_message: "CUDA out of memory" });
    expect(spanNamed("cancelled").status_code).toBe("UNSET");
    expect(spanNamed("cancelled").attributes["output.value"]).toBe('{"stoppedAt":40}');
    await expect(connector.completeJob(failed)).rejects.toThrow(/already completed/);
  });

  it("logSpan gives each span type its Phoenix kind and keeps the type as a tag and in metadata", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({ jobName: "kinds" });
    const expected = new Map([
      ["llm", "LLM"],
      ["chain", "CHAIN"],
      ["tool", "TOOL"],
      ["retriever", "RETRIEVER"],
      ["embedding", "EMBEDDING"],
      ["metrics", "CHAIN"],
      ["evaluation", "EVALUATOR"],
      ["hallucination", "EVALUATOR"],
      ["agent", "AGENT"],
      ["reranker", "RERANKER"],
      ["guardrail", "GUARDRAIL"],
    ]);
    expect([...expected.keys()].sort()).toEqual([...SPAN_TYPES].sort());
    const ids = new Map<string, string>();
    for (const type of SPAN_TYPES) ids.set(type, await connector.logSpan({ jobId, name: `step-${type}`, spanType: type, metadata: { owner: "team-a" } }));
    await connector.completeJob(jobId);
    const root = spanNamed("kinds");
    for (const [type, kind] of expected) {
      const span = spanNamed(`step-${type}`);
      expect(span.context.span_id).toBe(ids.get(type));
      expect(ids.get(type)).toMatch(HEX16);
      expect(span.span_kind).toBe(kind);
      expect(span.parent_id).toBe(root.context.span_id);
      expect(span.attributes["tag.tags"]).toEqual([type]);
      expect(JSON.parse(span.attributes.metadata as string)).toEqual({ owner: "team-a", span_type: type });
    }
  });

  it("logSpan turns input and output into input.value/output.value with mime types and OpenInference detail", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({});
    await connector.logSpan({
      jobId,
      name: "chat",
      spanType: "llm",
      inputData: { prompt: "What is LoRA?", system: "Be brief.", model: "llama-3-8b" },
      outputData: { response: "A low-rank adapter.", usage: { prompt_tokens: 12, completion_tokens: 5 } },
    });
    await connector.logSpan({
      jobId,
      name: "search",
      spanType: "retriever",
      inputData: "lora rank",
      outputData: { documents: [{ id: "d1", content: "LoRA adds low-rank matrices.", score: 0.92 }, "Rank 16 is common."] },
    });
    await connector.logSpan({ jobId, name: "embed", spanType: "embedding", inputData: ["a", "b"], outputData: [[0.1, 0.2], [0.3, 0.4]] });
    await connector.logSpan({ jobId, name: "calculator", spanType: "tool", inputData: { expression: "2+2" }, outputData: 4 });
    await connector.completeJob(jobId);

    expect(spanNamed("chat").attributes).toMatchObject({
      "input.mime_type": "application/json",
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "Be brief.",
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.content": "What is LoRA?",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": "A low-rank adapter.",
      "llm.model_name": "llama-3-8b",
      "llm.token_count.prompt": 12,
      "llm.token_count.completion": 5,
      "llm.token_count.total": 17,
    });
    expect(JSON.parse(spanNamed("chat").attributes["input.value"] as string)).toMatchObject({ prompt: "What is LoRA?" });
    expect(spanNamed("search").attributes).toMatchObject({
      "input.value": "lora rank",
      "input.mime_type": "text/plain",
      "retrieval.documents.0.document.id": "d1",
      "retrieval.documents.0.document.content": "LoRA adds low-rank matrices.",
      "retrieval.documents.0.document.score": 0.92,
      "retrieval.documents.1.document.content": "Rank 16 is common.",
    });
    expect(spanNamed("embed").attributes).toMatchObject({
      "embedding.embeddings.0.embedding.text": "a",
      "embedding.embeddings.0.embedding.vector": [0.1, 0.2],
      "embedding.embeddings.1.embedding.vector": [0.3, 0.4],
    });
    expect(spanNamed("calculator").attributes).toMatchObject({ "tool.name": "calculator", "tool.parameters": '{"expression":"2+2"}', "output.value": "4" });
  });

  it("logSpan nests under parentSpanId, keeps given times and status", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({});
    const parent = await connector.logSpan({ jobId, name: "agent", spanType: "agent" });
    await connector.logSpan({
      jobId,
      name: "failed-tool",
      spanType: "tool",
      parentSpanId: parent,
      startTime: "2026-03-01T10:00:00.250Z",
      endTime: new Date("2026-03-01T10:00:01.750Z"),
      status: "error",
      statusMessage: "timeout",
    });
    await connector.completeJob(jobId);
    const child = spanNamed("failed-tool");
    expect(child.parent_id).toBe(parent);
    expect(child.context.trace_id).toBe(jobId);
    expect(child.startMicros).toBe(Date.parse("2026-03-01T10:00:00.250Z") * 1000);
    expect(child.endMicros - child.startMicros).toBe(1_500_000);
    expect(child).toMatchObject({ status_code: "ERROR", status_message: "timeout" });
  });

  it("logMetrics logs a metrics span and one trace annotation per metric, identified by the step", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({});
    const spanId = await connector.logMetrics({ jobId, metrics: { loss: 0.234, accuracy: 0.89 }, step: 100 });
    await connector.logMetrics({ jobId, metrics: { loss: 0.2 } }); // step defaults to the call count
    await connector.completeJob(jobId);
    const metricsSpan = server.spans().find((s) => s.context.span_id === spanId)!;
    expect(metricsSpan).toMatchObject({ name: "metrics", span_kind: "CHAIN" });
    expect(metricsSpan.attributes).toMatchObject({ "metrics.loss": 0.234, "metrics.accuracy": 0.89, "metrics.step": 100, "tag.tags": ["metrics"] });
    const annotations = traceAnnotations(jobId).map((a) => ({ name: a.name, score: a.result.score, identifier: a.identifier, kind: a.annotator_kind }));
    expect(annotations).toEqual(
      expect.arrayContaining([
        { name: "loss", score: 0.234, identifier: "step-100", kind: "CODE" },
        { name: "accuracy", score: 0.89, identifier: "step-100", kind: "CODE" },
        { name: "loss", score: 0.2, identifier: "step-1", kind: "CODE" },
      ]),
    );
    expect(annotations).toHaveLength(3);
  });

  it("logEvaluation computes accuracy and macro precision/recall/F1, logs an EVALUATOR span and annotates the trace", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({});
    const result = await connector.logEvaluation({
      jobId,
      evalName: "sentiment",
      predictions: ["pos", "neg", "pos", "pos"],
      references: ["pos", "neg", "neg", "pos"],
    });
    // pos: P = 2/3, R = 1; neg: P = 1, R = 1/2 → macro P = 5/6, R = 3/4, F1 = (0.8 + 2/3) / 2.
    expect(result.scores.accuracy).toBeCloseTo(0.75);
    expect(result.scores.precision).toBeCloseTo(5 / 6);
    expect(result.scores.recall).toBeCloseTo(0.75);
    expect(result.scores.f1).toBeCloseTo((0.8 + 2 / 3) / 2);
    const given = await connector.logEvaluation({ jobId, evalName: "judge", predictions: ["a"], references: ["b"], scores: { relevance: 0.7 } });
    expect(given.scores).toEqual({ relevance: 0.7 });
    await connector.completeJob(jobId);
    const span = server.spans().find((s) => s.context.span_id === result.spanId)!;
    expect(span).toMatchObject({ name: "sentiment", span_kind: "EVALUATOR" });
    expect(JSON.parse(span.attributes["input.value"] as string)).toEqual({
      predictions: ["pos", "neg", "pos", "pos"],
      references: ["pos", "neg", "neg", "pos"],
    });
    expect(JSON.parse(span.attributes["output.value"] as string)).toEqual(result.scores);
    const names = traceAnnotations(jobId).map((a) => a.name).sort();
    expect(names).toEqual(["judge.relevance", "sentiment.accuracy", "sentiment.f1", "sentiment.precision", "sentiment.recall"]);
    expect(traceAnnotations(jobId).find((a) => a.name === "sentiment.f1")!.result.score).toBeCloseTo(result.scores.f1!);
  });

  it("logAnnotation annotates a logged span once it is stored", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({});
    const spanId = await connector.logSpan({ jobId, name: "answer", spanType: "llm", outputData: "Paris" });
    await connector.logAnnotation({ target: "span", id: spanId, name: "correctness", label: "correct", score: 1, explanation: "matches", annotatorKind: "HUMAN" });
    const report = await connector.flush();
    expect(report).toEqual({ annotationsStored: 1, annotationsFailed: 0 });
    expect(server.store.annotations).toEqual([
      expect.objectContaining({ target: "span", targetId: spanId, name: "correctness", annotator_kind: "HUMAN", result: { label: "correct", score: 1, explanation: "matches" } }),
    ]);
  });

  it("getTraceUrl is {endpoint}/projects/{projectGlobalId}/traces/{traceId}, in the job's project", async () => {
    const connector = await connect({ projectId: "main" });
    const jobId = await connector.submitJob({ projectName: "other" });
    const other = server.store.findProject("other")!;
    expect(connector.getTraceUrl(jobId)).toBe(`${server.url}/projects/${globalId("Project", other.rowId)}/traces/${jobId}`);
    const main = server.store.findProject("main")!;
    const foreign = "0af7651916cd43dd8448eb211c80319c";
    expect(connector.getTraceUrl(foreign)).toBe(`${server.url}/projects/${globalId("Project", main.rowId)}/traces/${foreign}`);
  });

  it("disconnect completes open jobs, delivers everything, is idempotent, and later calls are clear errors", async () => {
    const connector = await connect();
    const jobId = await connector.submitJob({ jobName: "left-open" });
    await connector.logMetrics({ jobId, metrics: { loss: 1 } });
    await Promise.all([connector.disconnect(), connector.disconnect()]);
    await connector.disconnect();
    expect(spanNamed("left-open").attributes["job.status"]).toBe("incomplete");
    expect(traceAnnotations(jobId)).toHaveLength(1);
    await expect(connector.logSpan({ jobId, name: "late", spanType: "llm" })).rejects.toThrow(/disconnected/);
    expect(() => connector.getTraceUrl(jobId)).toThrow(/disconnected/);
    await expect(connector.connect({ endpoint: server.url })).rejects.toThrow(/disconnected/);
  });
});
