import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { ProxyTracerProvider, trace } from "@opentelemetry/api";
import { PhoenixConnector, PhoenixSpanExporter, PhoenixSpanProcessor } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { tracerProvider } from "../helpers/tracing.js";
import { isolatePhoenixEnvironment } from "./support.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
});
afterEach(async () => {
  trace.disable();
  await server.close();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

const requestSizes = () => server.spanRequests().map((r) => (r.json as { data: unknown[] }).data.length);
const requestNames = (i: number) => (server.spanRequests()[i]!.json as { data: Array<{ name: string }> }).data.map((s) => s.name);

it("connector spans and the application's spans travel in the same 50-span batches of one shared processor", async () => {
  const processor = new PhoenixSpanProcessor({ endpoint: server.url });
  const app = tracerProvider([processor], "shared").getTracer("app");
  const connector = new PhoenixConnector({ spanProcessor: processor, annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "shared" });
  const jobId = await connector.submitJob({});
  for (let i = 0; i < 30; i++) {
    // The application's own instrumentation, inside the job's trace (an app with a
    // context manager would use context.with(connector.jobContext(jobId), …)).
    app.startSpan(`app-${i}`, {}, connector.jobContext(jobId)).end();
    await connector.logSpan({ jobId, name: `logged-${i}`, spanType: "chain" });
  }
  // 60 spans ended: one full batch of 50 left at once; 10 wait for the timer or a flush.
  await server.waitForSpans(50);
  expect(requestSizes()).toEqual([50]);
  const first = requestNames(0);
  expect(first.some((n) => n.startsWith("app-"))).toBe(true);
  expect(first.some((n) => n.startsWith("logged-"))).toBe(true);
  await connector.completeJob(jobId);
  expect(requestSizes()).toEqual([50, 11]);
  // All in the job's trace, in the same project.
  expect(new Set(server.spans("shared").map((s) => s.context.trace_id))).toEqual(new Set([jobId]));
  await connector.disconnect();
  // The connector does not shut down a processor it was given.
  app.startSpan("after-disconnect").end();
  await processor.forceFlush();
  expect(server.spans("shared").some((s) => s.name === "after-disconnect")).toBe(true);
  await processor.shutdown();
});

it("a shared exporter works the same way, through the connector's own processor", async () => {
  const exporter = new PhoenixSpanExporter({ endpoint: server.url });
  const connector = new PhoenixConnector({ exporter, annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "via-exporter" });
  const jobId = await connector.submitJob({});
  await connector.logSpan({ jobId, name: "one", spanType: "tool" });
  await connector.completeJob(jobId);
  expect(server.spans("via-exporter").map((s) => s.name).sort()).toEqual(["job", "one"]);
  await connector.disconnect();
});

it("disconnect leaves a shared exporter running for the application's own processor", async () => {
  const exporter = new PhoenixSpanExporter({ endpoint: server.url, projectName: "app" });
  const appProcessor = new PhoenixSpanProcessor({ exporter });
  const app = tracerProvider([appProcessor]).getTracer("app");
  const connector = new PhoenixConnector({ exporter, annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url, projectId: "app" });
  const jobId = await connector.submitJob({});
  await connector.logSpan({ jobId, name: "from-connector", spanType: "tool" });
  await connector.disconnect();
  // The connector's spans were delivered at disconnect ...
  expect(server.spans("app").map((s) => s.name).sort()).toEqual(["from-connector", "job"]);
  // ... and the application's spans still are, after it: the exporter was not shut down under its owner.
  app.startSpan("after-disconnect").end();
  await appProcessor.forceFlush();
  expect(server.spans("app").map((s) => s.name)).toContain("after-disconnect");
  expect(exporter.stats().dropped.total).toBe(0);
  await appProcessor.shutdown();
});

it("without a shared processor, the connector's own batches are 50 spans or the flush", async () => {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url });
  const jobId = await connector.submitJob({});
  for (let i = 0; i < 120; i++) await connector.logSpan({ jobId, name: `s${i}`, spanType: "llm" });
  await server.waitForSpans(100);
  expect(requestSizes()).toEqual([50, 50]);
  await connector.completeJob(jobId);
  expect(requestSizes()).toEqual([50, 50, 21]);
  await connector.disconnect();
});

it("never registers a global tracer provider, and leaves the application's one in place", async () => {
  const before = trace.getTracerProvider() as ProxyTracerProvider;
  expect(before).toBeInstanceOf(ProxyTracerProvider);
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: server.url });
  const jobId = await connector.submitJob({});
  await connector.logSpan({ jobId, name: "x", spanType: "llm" });
  await connector.completeJob(jobId);
  // Still the no-op delegate: nothing global was installed.
  expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name).toBe("NoopTracerProvider");
  expect(trace.getActiveSpan()).toBeUndefined();
  await connector.disconnect();

  const appProvider = tracerProvider([]);
  trace.setGlobalTracerProvider(appProvider);
  const second = new PhoenixConnector({ annotationDelayMillis: 0 });
  await second.connect({ endpoint: server.url });
  await second.completeJob(await second.submitJob({}));
  await second.disconnect();
  expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(appProvider);
});
