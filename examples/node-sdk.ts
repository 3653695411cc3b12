/**
 * Register PhoenixSpanProcessor in the OpenTelemetry NodeSDK and emit an LLM
 * span under a CHAIN span.
 *
 *   PHOENIX_COLLECTOR_ENDPOINT=http://localhost:6006 npx tsx examples/node-sdk.ts
 */
import { trace } from "@opentelemetry/api";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { PhoenixSpanProcessor } from "../src/index.js";

const sdk = new NodeSDK({
  spanProcessors: [new PhoenixSpanProcessor({ projectName: "node-sdk-example" })],
  instrumentations: [],
});
sdk.start();

const tracer = trace.getTracer("node-sdk-example");
tracer.startActiveSpan("answer-question", { attributes: { "openinference.span.kind": "CHAIN", "input.value": "What is Phoenix?" } }, (chain) => {
  tracer.startActiveSpan(
    "chat gpt-4o-mini",
    {
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o-mini",
        "llm.provider": "openai",
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.content": "What is Phoenix?",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "An open-source LLM observability tool.",
        "llm.token_count.prompt": 12,
        "llm.token_count.completion": 9,
        "llm.token_count.total": 21,
      },
    },
    (llm) => llm.end(),
  );
  chain.setAttribute("output.value", "An open-source LLM observability tool.");
  chain.end();
});

// shutdown() delivers everything still pending before the process exits.
await sdk.shutdown();
