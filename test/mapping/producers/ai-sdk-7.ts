import type { Tracer } from "@opentelemetry/api";
import type { LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";

/*
 * AI SDK 7 (`ai` 7 with `@ai-sdk/otel`). Both need Node >= 22, so they are
 * imported when a run starts, never when this file loads: on Node 20 the
 * producers that use them are skipped, and the rest still run.
 */

/** Usage as a v4 model reports it, with cache and reasoning details. */
const USAGE: LanguageModelV4Usage = {
  inputTokens: { total: 21, noCache: 17, cacheRead: 4, cacheWrite: 0 },
  outputTokens: { total: 9, text: 7, reasoning: 2 },
};

const RESPONSE = { id: "resp-mock-1", modelId: "mock-model-1", timestamp: new Date("2026-01-01T12:00:00Z") };

const text = (value: string): LanguageModelV4GenerateResult => ({
  content: [{ type: "text", text: value }],
  finishReason: { unified: "stop", raw: "stop" },
  usage: USAGE,
  response: RESPONSE,
  warnings: [],
});

/** The runtime context every call carries; the OpenTelemetry integration writes it as `ai.settings.context.*`. */
export const AI_SDK_7_CONTEXT = { sessionId: "session-42", userId: "user-7", tenant: "acme" } as const;

/** Which of `@ai-sdk/otel`'s integrations records the calls. */
export type AiSdk7Integration = "OpenTelemetry" | "LegacyOpenTelemetry";

/**
 * AI SDK 7 against its own v4 mock models (no network), with a per-call
 * telemetry integration bound to the given tracer (an application would
 * call `registerTelemetry(new OpenTelemetry())` once instead): generateText,
 * a tool-calling agent loop (`stopWhen`, two steps), streamText,
 * structured output (generateText with `Output.object`, and the deprecated
 * generateObject), embed, embedMany and rerank.
 */
export async function runAiSdk7(tracer: Tracer, integration: AiSdk7Integration): Promise<void> {
  const ai = await import("ai");
  const { MockEmbeddingModelV4, MockLanguageModelV4, MockRerankingModelV4, convertArrayToReadableStream } = await import("ai/test");
  const otel = await import("@ai-sdk/otel");
  const recorder =
    integration === "OpenTelemetry"
      ? new otel.OpenTelemetry({ tracer, runtimeContext: true, usage: true, embedding: true, reranking: true, agentSpanName: "functionId" })
      : new otel.LegacyOpenTelemetry({ tracer });
  const telemetry = (functionId: string) => ({
    functionId,
    integrations: recorder,
    includeRuntimeContext: { sessionId: true, userId: true, tenant: true },
  });
  const runtimeContext = { ...AI_SDK_7_CONTEXT };
  const model = (doGenerate: LanguageModelV4GenerateResult | LanguageModelV4GenerateResult[]) =>
    new MockLanguageModelV4({ provider: "mock-provider", modelId: "mock-model-1", doGenerate });

  const weatherTool = ai.tool({
    description: "Current weather in a city",
    inputSchema: ai.jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
    execute: async ({ city }) => ({ city, temperature: 21, sky: "sunny" }),
  });

  await ai.generateText({
    model: model(text("Paris is sunny, 21 °C.")),
    system: "You are a weather assistant.",
    prompt: "What is the weather in Paris?",
    temperature: 0.2,
    maxOutputTokens: 64,
    runtimeContext,
    telemetry: telemetry("weather-answer"),
  });

  await ai.generateText({
    model: model([
      {
        content: [{ type: "tool-call", toolCallId: "call-1", toolName: "getWeather", input: '{"city":"Paris"}' }],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: USAGE,
        response: RESPONSE,
        warnings: [],
      },
      text("It is sunny in Paris."),
    ]),
    tools: { getWeather: weatherTool },
    stopWhen: ai.stepCountIs(3),
    system: "You are a weather agent.",
    prompt: "Weather in Paris?",
    runtimeContext,
    telemetry: telemetry("weather-agent"),
  });

  const streamParts: LanguageModelV4StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", ...RESPONSE },
    { type: "text-start", id: "t1" },
    { type: "text-delta", id: "t1", delta: "Paris is sunny, " },
    { type: "text-delta", id: "t1", delta: "21 °C." },
    { type: "text-end", id: "t1" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: USAGE },
  ];
  const streamed = ai.streamText({
    model: new MockLanguageModelV4({
      provider: "mock-provider",
      modelId: "mock-model-1",
      doStream: async () => ({ stream: convertArrayToReadableStream(streamParts) }),
    }),
    prompt: "Stream the weather in Paris.",
    runtimeContext,
    telemetry: telemetry("weather-stream"),
  });
  await streamed.consumeStream();
  await streamed.text;

  const weatherSchema = ai.jsonSchema<{ city: string; temperature: number }>({
    type: "object",
    properties: { city: { type: "string" }, temperature: { type: "number" } },
    required: ["city", "temperature"],
  });
  await ai.generateText({
    model: model(text('{"city":"Paris","temperature":21}')),
    output: ai.Output.object({ schema: weatherSchema }),
    prompt: "Weather in Paris as JSON.",
    runtimeContext,
    telemetry: telemetry("weather-structured"),
  });
  await ai.generateObject({
    model: model(text('{"city":"Paris","temperature":21}')),
    schema: weatherSchema,
    prompt: "Weather in Paris as JSON.",
    // generateObject (deprecated in 7) takes no runtime context.
    telemetry: telemetry("weather-object"),
  });

  const embeddingModel = new MockEmbeddingModelV4({
    provider: "mock-provider",
    modelId: "mock-embedding-1",
    doEmbed: async ({ values }) => ({
      embeddings: values.map((_v, i) => [0.1 * (i + 1), 0.2, 0.3]),
      usage: { tokens: 8 },
      warnings: [],
    }),
  });
  await ai.embed({ model: embeddingModel, value: "sunny Paris", runtimeContext, telemetry: telemetry("embed-one") });
  await ai.embedMany({ model: embeddingModel, values: ["sunny Paris", "rainy London"], runtimeContext, telemetry: telemetry("embed-many") });

  await ai.rerank({
    model: new MockRerankingModelV4({
      provider: "mock-provider",
      modelId: "mock-reranker-1",
      doRerank: async () => ({ ranking: [{ index: 1, relevanceScore: 0.9 }, { index: 0, relevanceScore: 0.2 }], warnings: [] }),
    }),
    documents: ["rainy London", "sunny Paris"],
    query: "Where is it sunny?",
    topN: 2,
    runtimeContext,
    telemetry: telemetry("rerank-docs"),
  });
}
