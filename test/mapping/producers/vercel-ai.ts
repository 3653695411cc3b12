import type { Tracer } from "@opentelemetry/api";
import { embed, embedMany, generateObject, generateText, jsonSchema, rerank, stepCountIs, streamText, tool } from "ai6";
import { MockEmbeddingModelV3, MockLanguageModelV3, MockRerankingModelV3, convertArrayToReadableStream } from "ai6/test";

/*
 * The v3 provider types as AI SDK 6 has them (its own nested @ai-sdk/provider
 * 3.x; the root one is AI SDK 7's 4.x, whose types are not assignable).
 */
type MockOptions = NonNullable<ConstructorParameters<typeof MockLanguageModelV3>[0]>;
type LanguageModelV3GenerateResult = Extract<MockOptions["doGenerate"], { content: unknown }>;
type LanguageModelV3Usage = LanguageModelV3GenerateResult["usage"];
type StreamResult = Awaited<ReturnType<Extract<MockOptions["doStream"], (...args: never[]) => unknown>>>;
type LanguageModelV3StreamPart = StreamResult["stream"] extends ReadableStream<infer Part> ? Part : never;

/** Usage as a v3 model reports it, with cache and reasoning details. */
const USAGE: LanguageModelV3Usage = {
  inputTokens: { total: 21, noCache: 17, cacheRead: 4, cacheWrite: 0 },
  outputTokens: { total: 9, text: 7, reasoning: 2 },
};

const RESPONSE = { id: "resp-mock-1", modelId: "mock-model-1", timestamp: new Date("2026-01-01T12:00:00Z") };

const text = (value: string): LanguageModelV3GenerateResult => ({
  content: [{ type: "text", text: value }],
  finishReason: { unified: "stop", raw: "stop" },
  usage: USAGE,
  response: RESPONSE,
  warnings: [],
});

const weatherTool = tool({
  description: "Current weather in a city",
  inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } }, required: ["city"] }),
  execute: async ({ city }) => ({ city, temperature: 21, sky: "sunny" }),
});

/**
 * The Vercel AI SDK with `experimental_telemetry`, against its own mock
 * models (no network): generateText (plain and with a tool round trip),
 * streamText, generateObject, embed, embedMany and rerank. Metadata carries
 * a sessionId and userId, the keys the mapping lifts out.
 */
export async function runVercelAI(tracer: Tracer): Promise<void> {
  const telemetry = (functionId: string) => ({
    isEnabled: true,
    functionId,
    tracer,
    metadata: { sessionId: "session-42", userId: "user-7", tenant: "acme" },
  });

  await generateText({
    model: new MockLanguageModelV3({ provider: "mock-provider", modelId: "mock-model-1", doGenerate: text("Paris is sunny, 21 °C.") }),
    system: "You are a weather assistant.",
    prompt: "What is the weather in Paris?",
    temperature: 0.2,
    maxOutputTokens: 64,
    experimental_telemetry: telemetry("weather-answer"),
  });

  await generateText({
    model: new MockLanguageModelV3({
      provider: "mock-provider",
      modelId: "mock-model-1",
      doGenerate: [
        {
          content: [{ type: "tool-call", toolCallId: "call-1", toolName: "getWeather", input: '{"city":"Paris"}' }],
          finishReason: { unified: "tool-calls", raw: "tool_calls" },
          usage: USAGE,
          response: RESPONSE,
          warnings: [],
        },
        text("It is sunny in Paris."),
      ],
    }),
    tools: { getWeather: weatherTool },
    stopWhen: stepCountIs(3),
    prompt: "Weather in Paris?",
    experimental_telemetry: telemetry("weather-agent"),
  });

  const streamParts: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "response-metadata", ...RESPONSE },
    { type: "text-start", id: "t1" },
    { type: "text-delta", id: "t1", delta: "Paris is sunny, " },
    { type: "text-delta", id: "t1", delta: "21 °C." },
    { type: "text-end", id: "t1" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: USAGE },
  ];
  const streamed = streamText({
    model: new MockLanguageModelV3({
      provider: "mock-provider",
      modelId: "mock-model-1",
      doStream: async () => ({ stream: convertArrayToReadableStream(streamParts) }),
    }),
    prompt: "Stream the weather in Paris.",
    experimental_telemetry: telemetry("weather-stream"),
  });
  await streamed.consumeStream();
  await streamed.text;

  await generateObject({
    model: new MockLanguageModelV3({ provider: "mock-provider", modelId: "mock-model-1", doGenerate: text('{"city":"Paris","temperature":21}') }),
    schema: jsonSchema<{ city: string; temperature: number }>({
      type: "object",
      properties: { city: { type: "string" }, temperature: { type: "number" } },
      required: ["city", "temperature"],
    }),
    prompt: "Weather in Paris as JSON.",
    experimental_telemetry: telemetry("weather-object"),
  });

  const embeddingModel = new MockEmbeddingModelV3({
    provider: "mock-provider",
    modelId: "mock-embedding-1",
    doEmbed: async ({ values }) => ({
      embeddings: values.map((_v, i) => [0.1 * (i + 1), 0.2, 0.3]),
      usage: { tokens: 8 },
      warnings: [],
    }),
  });
  await embed({ model: embeddingModel, value: "sunny Paris", experimental_telemetry: telemetry("embed-one") });
  await embedMany({ model: embeddingModel, values: ["sunny Paris", "rainy London"], experimental_telemetry: telemetry("embed-many") });

  await rerank({
    model: new MockRerankingModelV3({
      provider: "mock-provider",
      modelId: "mock-reranker-1",
      doRerank: async () => ({ ranking: [{ index: 1, relevanceScore: 0.9 }, { index: 0, relevanceScore: 0.2 }], warnings: [] }),
    }),
    documents: ["rainy London", "sunny Paris"],
    query: "Where is it sunny?",
    topN: 2,
    experimental_telemetry: telemetry("rerank-docs"),
  });
}
