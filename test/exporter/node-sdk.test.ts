import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { context, propagation, trace } from "@opentelemetry/api";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { PhoenixSpanExporter, PhoenixSpanProcessor } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(async () => {
  // NodeSDK registers global providers; each test starts from none.
  trace.disable();
  context.disable();
  propagation.disable();
  await server.close();
  expect(server.violations).toEqual([]);
});

function emitAgentRun(): void {
  const tracer = trace.getTracer("node-sdk-test");
  tracer.startActiveSpan("agent-run", { attributes: { "openinference.span.kind": "CHAIN" } }, (root) => {
    tracer.startActiveSpan("chat gpt-4o", { attributes: { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o" } }, (llm) => llm.end());
    root.end();
  });
}

describe("NodeSDK", () => {
  it("spanProcessors: [new PhoenixSpanProcessor()] delivers on sdk.shutdown()", async () => {
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ "service.name": "sdk-test" }),
      spanProcessors: [new PhoenixSpanProcessor({ endpoint: server.url, projectName: "node-sdk" })],
      instrumentations: [],
    });
    sdk.start();
    emitAgentRun();
    await sdk.shutdown();
    await server.waitForSpans(2);
    const spans = server.spans("node-sdk");
    expect(spans.map((s) => [s.name, s.span_kind]).sort()).toEqual([
      ["agent-run", "CHAIN"],
      ["chat gpt-4o", "LLM"],
    ]);
    const root = spans.find((s) => s.name === "agent-run")!;
    expect(spans.find((s) => s.name === "chat gpt-4o")!.parent_id).toBe(root.context.span_id);
  });

  it("traceExporter: new PhoenixSpanExporter() works too", async () => {
    const sdk = new NodeSDK({
      traceExporter: new PhoenixSpanExporter({ endpoint: server.url, projectName: "node-sdk-exporter" }),
      instrumentations: [],
    });
    sdk.start();
    emitAgentRun();
    await sdk.shutdown();
    await server.waitForSpans(2);
    expect(server.spans("node-sdk-exporter")).toHaveLength(2);
  });
});
