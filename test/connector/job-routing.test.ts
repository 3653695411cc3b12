import { afterAll, afterEach, beforeEach, expect, it, vi } from "vitest";
import { context, propagation, trace } from "@opentelemetry/api";
import { NodeSDK } from "otel2-sdk-node";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import type OpenAIClient from "openai";
import { PhoenixConnector, PhoenixSpanExporter, PhoenixSpanProcessor } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../mapping/producers/fake-openai-server.js";
import { openaiModule } from "../mapping/producers/openai-calls.js";
import { isolatePhoenixEnvironment } from "./support.js";

/**
 * Issue 15, "a shared pipeline splits a job's trace": the application's own
 * instrumentation, on the NodeSDK's processor shared with the connector,
 * makes spans inside `connector.jobContext(job)`. Their resource is the
 * application's (no project); they must still land in the job's project and
 * trace, not in `default`.
 */
let server: PhoenixTestServer;
let openai: FakeOpenAIServer;
let sdk: NodeSDK | undefined;
beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  openai = await startFakeOpenAIServer();
});
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
  await openai.close();
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

// Patched once for the file (the instrumentation remembers a module it patched); each test's SDK gets its tracer.
const instrumentation = new OpenAIInstrumentation();
let patched = false;
afterAll(() => {
  (openaiModule.OpenAI.Chat.Completions.prototype.create as { __unwrap?: () => void }).__unwrap?.();
});

function startApp(processor: PhoenixSpanProcessor): OpenAIClient {
  // The application's resource names its service, not a project.
  vi.stubEnv("OTEL_SERVICE_NAME", "my-service");
  sdk = new NodeSDK({ spanProcessors: [processor as never], instrumentations: [] });
  sdk.start();
  instrumentation.setTracerProvider(trace.getTracerProvider());
  if (!patched) instrumentation.manuallyInstrument(openaiModule as never);
  patched = true;
  return new openaiModule.OpenAI({ apiKey: "sk-test-not-a-key", baseURL: openai.baseURL, maxRetries: 0 });
}

const ask = (client: OpenAIClient) => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Weather in Paris?" }] });

it("docs/connector.md's shared pipeline: an OpenAI span made in the job's context lands in the job's project and trace", async () => {
  const processor = new PhoenixSpanProcessor({ endpoint: server.url });
  const client = startApp(processor);
  const connector = new PhoenixConnector({ spanProcessor: processor, annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "my-app" });
  const jobId = await connector.submitJob({ jobName: "eval-run" });
  await context.with(connector.jobContext(jobId), () => ask(client));
  // Outside any job: the application's span goes where its resource says (default).
  await ask(client);
  await connector.completeJob(jobId);
  await connector.disconnect();
  await processor.forceFlush();

  const inJob = server.spans("my-app");
  const root = inJob.find((s) => s.name === "eval-run")!;
  const llm = inJob.find((s) => s.span_kind === "LLM")!;
  expect(llm).toBeDefined();
  expect(llm.context.trace_id).toBe(jobId);
  expect(llm.parent_id).toBe(root.context.span_id);
  expect(new Set(inJob.map((s) => s.context.trace_id))).toEqual(new Set([jobId]));
  const elsewhere = server.spans("default");
  expect(elsewhere).toHaveLength(1);
  expect(elsewhere[0]!.context.trace_id).not.toBe(jobId);
});

it("a job in another project (config.projectName) takes its application spans with it, through a shared exporter too", async () => {
  const exporter = new PhoenixSpanExporter({ endpoint: server.url });
  const processor = new PhoenixSpanProcessor({ exporter });
  const client = startApp(processor);
  const connector = new PhoenixConnector({ exporter, annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "my-app" });
  const jobId = await connector.submitJob({ projectName: "experiments" });
  const step = await connector.logSpan({ jobId, name: "step", spanType: "chain" });
  await context.with(connector.jobContext(jobId, step), () => ask(client));
  await connector.completeJob(jobId);
  await processor.forceFlush();
  await connector.disconnect();

  const spans = server.spans("experiments");
  expect(spans.map((s) => s.name).sort()).toEqual(["OpenAI Chat Completions", "job", "step"]);
  expect(spans.find((s) => s.span_kind === "LLM")!.parent_id).toBe(step);
  expect(server.spans("my-app")).toEqual([]);
  expect(server.spans("default")).toEqual([]);
});
