// A user's CommonJS app: the OpenTelemetry Node SDK with phoenix-connector,
// loaded with require(). Driven by .ci/compat/compat.ts through
// COMPAT_ENDPOINT, COMPAT_PROJECT and COMPAT_MODE (processor | exporter).
"use strict";
const { SpanKind, trace } = require("@opentelemetry/api");
const { NodeSDK } = require("@opentelemetry/sdk-node");
const { PhoenixSpanExporter, PhoenixSpanProcessor } = require("phoenix-connector");

const endpoint = process.env.COMPAT_ENDPOINT;
const projectName = process.env.COMPAT_PROJECT;
const mode = process.env.COMPAT_MODE;

async function main() {
  const sdk = new NodeSDK(
    mode === "exporter"
      ? { traceExporter: new PhoenixSpanExporter({ endpoint, projectName }) }
      : { spanProcessors: [new PhoenixSpanProcessor({ endpoint, projectName })] },
  );
  sdk.start();

  const tracer = trace.getTracer("compat-app", "1.0.0");
  await tracer.startActiveSpan(
    "compat.workflow",
    { attributes: { "openinference.span.kind": "CHAIN", "input.value": "What is 2 + 2?", "output.value": "4" } },
    async (root) => {
      const chat = tracer.startSpan("chat gpt-compat", {
        kind: SpanKind.CLIENT,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-compat",
          "gen_ai.usage.input_tokens": 7,
          "gen_ai.usage.output_tokens": 1,
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
      chat.end();
      tracer.startSpan("compat.plain", { attributes: { "compat.step": 1 } }).end();
      root.end();
    },
  );

  await sdk.shutdown();
  console.log(JSON.stringify({ ok: true, format: "cjs", mode, node: process.version }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
