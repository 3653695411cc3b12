import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  HallucinationInputError,
  LlmJudgeParseError,
  PhoenixConnector,
  llmJudge,
  type PhoenixConnectorOptions,
} from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { isolatePhoenixEnvironment } from "./support.js";

let server: PhoenixTestServer;
let judgeServer: Server | undefined;
const open: PhoenixConnector[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server?.close();
  if (judgeServer) await new Promise((r) => judgeServer!.close(r));
  judgeServer = undefined;
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function setUp(options: PhoenixConnectorOptions = {}) {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  const c = new PhoenixConnector({ annotationDelayMillis: 0, ...options });
  open.push(c);
  await c.connect({ endpoint: server.url, projectId: "rag" });
  return c;
}

/** An OpenAI-compatible chat endpoint on 127.0.0.1 answering with `content`. */
async function fakeJudge(content: string): Promise<string> {
  judgeServer = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "c1", object: "chat.completion", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }] }));
    });
  });
  await new Promise<void>((r) => judgeServer!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(judgeServer.address() as AddressInfo).port}/v1`;
}

const EIFFEL = {
  context: "The Eiffel Tower is located in Paris, France.",
  response: "The Eiffel Tower is located in London, England.",
};

describe("PhoenixConnector.detectHallucination", () => {
  it("without a job: a verdict from the offline grounding detector, nothing logged, no connection needed", async () => {
    server = await startPhoenixServer();
    const c = new PhoenixConnector();
    const result = await c.detectHallucination({ ...EIFFEL, threshold: 0.5 });
    expect(result).toMatchObject({ isHallucination: true, label: "hallucinated", detector: "grounding" });
    expect(result.score).toBeGreaterThanOrEqual(0.5);
    expect(result.unsupported.join(" ")).toMatch(/London/);
    const faithful = await c.detectHallucination({ context: EIFFEL.context, response: "It stands in Paris." });
    expect(faithful).toMatchObject({ isHallucination: false, label: "factual" });
    expect(server.requests).toHaveLength(0);
  });

  it("with a job: an EVALUATOR span under the judged span and a `hallucination` annotation (CODE) on the judged span", async () => {
    const c = await setUp();
    const jobId = await c.submitJob({ jobName: "rag-run" });
    const llmSpan = await c.logSpan({ jobId, name: "answer", spanType: "llm", inputData: "Where is the Eiffel Tower?", outputData: EIFFEL.response });
    const result = await c.detectHallucination({ jobId, spanId: llmSpan, query: "Where is the Eiffel Tower?", ...EIFFEL });
    await c.completeJob(jobId);
    expect(await c.flush()).toEqual({ annotationsStored: 0, annotationsFailed: 0 });
    await server.waitForSpans(3);

    const span = server.spans("rag").find((s) => s.name === "hallucination")!;
    expect(span.span_kind).toBe("EVALUATOR");
    expect(span.parent_id).toBe(llmSpan);
    expect(span.status_code).toBe("OK");
    expect(span.attributes["hallucination.label"]).toBe("hallucinated");
    expect(span.attributes["tag.tags"]).toEqual(["hallucination"]);
    expect(JSON.parse(String(span.attributes["input.value"]))).toMatchObject({ context: EIFFEL.context, response: EIFFEL.response });

    const [annotation] = server.store.annotations;
    expect(server.store.annotations).toHaveLength(1);
    expect(annotation).toMatchObject({
      target: "span",
      targetId: llmSpan,
      name: "hallucination",
      annotator_kind: "CODE",
      result: { label: "hallucinated", score: result.score, explanation: result.explanation },
    });
    expect(annotation!.metadata).toMatchObject({ detector: "grounding", hallucination_span_id: span.context.span_id });
  });

  it("without spanId the annotation goes on the new hallucination span", async () => {
    const c = await setUp();
    const jobId = await c.submitJob({});
    await c.detectHallucination({ jobId, context: EIFFEL.context, response: "The Eiffel Tower is in Paris." });
    await c.completeJob(jobId);
    await server.waitForSpans(2);
    const span = server.spans("rag").find((s) => s.name === "hallucination")!;
    const root = server.spans("rag").find((s) => s.parent_id === null)!;
    expect(root.context.trace_id).toBe(jobId);
    expect(span.parent_id).toBe(root.context.span_id);
    expect(server.store.annotations).toMatchObject([{ targetId: span.context.span_id, result: { label: "factual" } }]);
  });

  it("an LLM judge (any OpenAI-compatible endpoint) annotates with annotator_kind LLM", async () => {
    const baseURL = await fakeJudge("EXPLANATION: The context places the tower in Paris, not London.\nLABEL: hallucinated");
    const c = await setUp({ hallucinationDetector: llmJudge({ baseURL, model: "openai:gpt-4o-mini" }) });
    const jobId = await c.submitJob({});
    const result = await c.detectHallucination({ jobId, ...EIFFEL });
    await c.completeJob(jobId);
    expect(result).toMatchObject({ label: "hallucinated", isHallucination: true });
    expect(result.explanation).toMatch(/Paris, not London/);
    expect(server.store.annotations).toMatchObject([{ name: "hallucination", annotator_kind: "LLM", result: { label: "hallucinated" } }]);
  });

  it("a custom function detector works through the connector", async () => {
    const c = await setUp();
    const jobId = await c.submitJob({});
    const result = await c.detectHallucination({
      jobId,
      ...EIFFEL,
      threshold: 0.9,
      detector: () => ({ score: 0.8, confidence: 0.6, explanation: "mostly unsupported", unsupported: ["London"] }),
    });
    await c.completeJob(jobId);
    // 0.8 < 0.9: factual by the caller's threshold.
    expect(result).toMatchObject({ isHallucination: false, label: "factual", score: 0.8, confidence: 0.6 });
    expect(server.store.annotations).toMatchObject([{ annotator_kind: "CODE", result: { label: "factual", score: 0.8 } }]);
  });

  it("a failing judge leaves an ERROR hallucination span and throws its typed error", async () => {
    const baseURL = await fakeJudge("I think it might be fine?");
    const c = await setUp();
    const jobId = await c.submitJob({});
    await expect(c.detectHallucination({ jobId, ...EIFFEL, detector: llmJudge({ baseURL, model: "m" }) })).rejects.toBeInstanceOf(LlmJudgeParseError);
    await c.completeJob(jobId);
    await server.waitForSpans(2);
    const span = server.spans("rag").find((s) => s.name === "hallucination")!;
    expect(span.status_code).toBe("ERROR");
    expect(server.store.annotations).toHaveLength(0);
  });

  it("bad input: clear errors, nothing logged", async () => {
    const c = await setUp();
    const jobId = await c.submitJob({});
    await expect(c.detectHallucination({ jobId, context: " ", response: "x" })).rejects.toBeInstanceOf(HallucinationInputError);
    await expect(c.detectHallucination({ jobId, ...EIFFEL, threshold: 1.5 })).rejects.toThrow(/threshold/);
    await expect(c.detectHallucination({ jobId, ...EIFFEL, spanId: "not-a-span" })).rejects.toThrow(/16 hex/);
    await expect(c.detectHallucination({ jobId: "nope", ...EIFFEL })).rejects.toThrow(/Unknown job/);
    await c.completeJob(jobId);
    await server.waitForSpans(1);
    expect(server.spans("rag").map((s) => s.name)).toEqual(["job"]);
  });
});
