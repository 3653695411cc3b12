import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { PhoenixAttributeValue } from "../../../src/mapping/index.js";
import { AI_SDK_7_CONTEXT, runAiSdk7 } from "./ai-sdk-7.js";
import type { Producer, SpanExpectation } from "./producer.js";
import { record } from "./record.js";

const AI_SDK_7_NODE = { min: "22.0.0", why: "ai 7 and @ai-sdk/otel 1 require Node >= 22" } as const;

/** What runtimeContext becomes in Phoenix: session.id, user.id, the rest as metadata. */
const SESSION: Record<string, PhoenixAttributeValue> = {
  "session.id": AI_SDK_7_CONTEXT.sessionId,
  "user.id": AI_SDK_7_CONTEXT.userId,
  metadata: JSON.stringify({ tenant: AI_SDK_7_CONTEXT.tenant }),
};
const MODEL = { "llm.model_name": "mock-model-1", "llm.provider": "mock-provider" };
const TOKENS = {
  "llm.token_count.prompt": 21,
  "llm.token_count.completion": 9,
  "llm.token_count.total": 30,
  "llm.token_count.prompt_details.cache_read": 4,
  "llm.token_count.completion_details.reasoning": 2,
};
/** What the agent spans of the calls in ai-sdk-7.ts must show as input and output. */
const CONVERSATIONS: ReadonlyMap<string, { input: string; output: string }> = new Map([
  ["weather-answer", { input: "What is the weather in Paris?", output: "Paris is sunny, 21 °C." }],
  ["weather-agent", { input: "Weather in Paris?", output: "It is sunny in Paris." }],
  ["weather-stream", { input: "Stream the weather in Paris.", output: "Paris is sunny, 21 °C." }],
  ["weather-structured", { input: "Weather in Paris as JSON.", output: '{"city":"Paris","temperature":21}' }],
  ["weather-object", { input: "Weather in Paris as JSON.", output: '{"city":"Paris","temperature":21}' }],
]);

/** generateObject takes no runtime context, so its spans carry no session. */
const sessionOf = (functionId: string | undefined) => (functionId === "weather-object" ? {} : SESSION);

export const aiSdk7: Producer = {
  id: "ai-sdk-7",
  title: "AI SDK 7 (`ai` 7 with `@ai-sdk/otel`'s `OpenTelemetry` integration, GenAI conventions)",
  packages: ["ai", "@ai-sdk/otel"],
  how:
    "generateText, a two-step tool agent loop (stopWhen), streamText, generateText with Output.object, generateObject, embed, embedMany and rerank " +
    "on the SDK's v4 mock models (ai/test); new OpenTelemetry({ runtimeContext: true, usage: true, embedding: true, reranking: true, agentSpanName: \"functionId\" }) " +
    "passed per call as telemetry.integrations; runtimeContext { sessionId, userId, tenant }",
  node: AI_SDK_7_NODE,
  run: () => record(async (provider) => runAiSdk7(provider.getTracer("ai"), "OpenTelemetry")),
  expect(span: ReadableSpan): SpanExpectation | undefined {
    const operation = span.attributes["gen_ai.operation.name"];
    switch (operation) {
      case "invoke_agent": {
        const name = String(span.attributes["gen_ai.agent.name"]);
        const conversation = CONVERSATIONS.get(name);
        if (!conversation) return undefined;
        return {
          kind: "AGENT",
          equals: { ...sessionOf(name), "agent.name": name, "input.value": conversation.input, "output.value": conversation.output },
          present: ["input.mime_type", "output.mime_type"],
          absent: ["llm.token_count.prompt"],
        };
      }
      case "agent_step":
        return { kind: "CHAIN", equals: SESSION, present: ["input.value", "output.value", "input.mime_type", "output.mime_type"], absent: ["llm.token_count.prompt"] };
      case "chat":
        return {
          kind: "LLM",
          equals: { ...MODEL, ...TOKENS, "llm.output_messages.0.message.role": "assistant" },
          present: ["llm.input_messages.0.message.role", "input.value", "output.value"],
        };
      case "execute_tool":
        return { kind: "TOOL", equals: { "tool.name": "getWeather", "input.value": '{"city":"Paris"}' }, present: ["output.value"] };
      case "embeddings":
        return {
          kind: "EMBEDDING",
          equals: { ...SESSION, "embedding.model_name": "mock-embedding-1", "llm.provider": "mock-provider", "embedding.embeddings.0.embedding.vector": [0.1, 0.2, 0.3] },
          present: ["embedding.embeddings.0.embedding.text", "input.value"],
        };
      case "rerank":
        return {
          kind: "RERANKER",
          equals: { ...SESSION, "reranker.model_name": "mock-reranker-1", "reranker.input_documents.1.document.content": "sunny Paris" },
          ...(span.attributes["ai.ranking"] !== undefined
            ? { present: ["reranker.output_documents.0.document.score", "reranker.output_documents.0.document.content"] }
            : {}),
        };
      default:
        return undefined;
    }
  },
};

export const aiSdk7Legacy: Producer = {
  id: "ai-sdk-7-legacy",
  title: "AI SDK 7 (`ai` 7 with `@ai-sdk/otel`'s `LegacyOpenTelemetry`, AI SDK 6's `ai.*` spans)",
  packages: ["ai", "@ai-sdk/otel"],
  how: "the same calls as ai-sdk-7, recorded by new LegacyOpenTelemetry() passed per call as telemetry.integrations",
  node: AI_SDK_7_NODE,
  run: () => record(async (provider) => runAiSdk7(provider.getTracer("ai"), "LegacyOpenTelemetry")),
  expect(span: ReadableSpan): SpanExpectation | undefined {
    const functionId = span.attributes["ai.telemetry.functionId"] as string | undefined;
    const session = sessionOf(functionId);
    switch (span.attributes["ai.operationId"]) {
      case "ai.generateText":
      case "ai.streamText":
      case "ai.generateObject": {
        const conversation = CONVERSATIONS.get(functionId ?? "");
        return {
          kind: "CHAIN",
          equals: { ...session, ...(conversation ? { "output.value": conversation.output } : {}) },
          present: ["input.value", "output.value"],
          absent: ["llm.token_count.prompt"],
        };
      }
      case "ai.generateText.doGenerate":
      case "ai.streamText.doStream":
      case "ai.generateObject.doGenerate":
        return {
          kind: "LLM",
          equals: { ...session, ...MODEL, ...TOKENS, "llm.output_messages.0.message.role": "assistant" },
          present: ["llm.input_messages.0.message.role", "input.value", "output.value"],
        };
      case "ai.toolCall":
        return { kind: "TOOL", equals: { "tool.name": "getWeather", "input.value": '{"city":"Paris"}' }, present: ["output.value"] };
      case "ai.embed":
      case "ai.embedMany":
      case "ai.rerank":
        return { kind: "CHAIN", equals: session, present: ["input.value"] };
      case "ai.embed.doEmbed":
      case "ai.embedMany.doEmbed":
        return {
          kind: "EMBEDDING",
          equals: { "embedding.model_name": "mock-embedding-1", "embedding.embeddings.0.embedding.vector": [0.1, 0.2, 0.3] },
          present: ["embedding.embeddings.0.embedding.text"],
        };
      case "ai.rerank.doRerank":
        return {
          kind: "RERANKER",
          equals: { "reranker.model_name": "mock-reranker-1", "reranker.output_documents.0.document.content": "sunny Paris", "reranker.output_documents.0.document.score": 0.9 },
        };
      default:
        return undefined;
    }
  },
};
