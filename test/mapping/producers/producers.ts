import { metrics, type TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { OpenAIInstrumentation as OpenInferenceOpenAI } from "@arizeai/openinference-instrumentation-openai";
import { LangChainInstrumentation as OpenInferenceLangChain } from "@arizeai/openinference-instrumentation-langchain";
import { OpenAIInstrumentation as OtelOpenAI021 } from "otel2-instrumentation-openai";
import { OpenAIInstrumentation as TraceloopOpenAI } from "@traceloop/instrumentation-openai";
import { LangChainInstrumentation as TraceloopLangChain } from "@traceloop/instrumentation-langchain";
import { OpenAIInstrumentation as TraceloopOpenAILegacy } from "traceloop-instrumentation-openai-legacy";
import { memoryProvider } from "./captured-span.js";
import { FAKE_OPENAI } from "./fake-openai-server.js";
import { runLangChainApp } from "./langchain-calls.js";
import { runLangSmith } from "./langsmith-calls.js";
import { openaiModule, runOpenAICalls } from "./openai-calls.js";
import { runPlainOtel } from "./plain-otel-calls.js";
import type { Producer, SpanExpectation } from "./producer.js";
import { record } from "./record.js";
import type { PhoenixAttributeValue } from "../../../src/mapping/index.js";
import { runVercelAI } from "./vercel-ai.js";
import { aiSdk7, aiSdk7Legacy } from "./ai-sdk-7-producers.js";
import { openInferenceAnthropic, openInferenceLangGraph, openInferenceOpenAIAgents } from "./openinference-producers.js";


/** Undoes a shimmer wrap (every instrumentation here wraps with shimmer). */
function unwrap(target: object, name: string): void {
  const fn = (target as Record<string, { __unwrap?: () => void } | undefined>)[name];
  fn?.__unwrap?.();
}

function unwrapOpenAI(): void {
  const { OpenAI } = openaiModule;
  for (const proto of [OpenAI.Chat.Completions.prototype, OpenAI.Completions.prototype, OpenAI.Responses.prototype, OpenAI.Embeddings.prototype]) {
    unwrap(proto, "create");
  }
  for (const name of ["generate", "edit", "createVariation"]) unwrap(OpenAI.Images.prototype, name);
}

/** The OpenAI calls of openai-calls.ts under one instrumentation, patched for the run only. */
function openAIRun(instrument: (provider: TracerProvider) => void): () => Promise<ReadableSpan[]> {
  return () =>
    record(async (provider) => {
      instrument(provider);
      try {
        await runOpenAICalls();
      } finally {
        unwrapOpenAI();
      }
    });
}

const id = (span: ReadableSpan, key: string) => span.attributes[key];
const MODEL = FAKE_OPENAI.model;
const TOKENS = {
  "llm.token_count.prompt": FAKE_OPENAI.usage.prompt_tokens,
  "llm.token_count.completion": FAKE_OPENAI.usage.completion_tokens,
  "llm.token_count.total": FAKE_OPENAI.usage.total_tokens,
};
const ANSWER = FAKE_OPENAI.answer;

/** Expectations of the GenAI chat spans, keyed by the fake server's response id (one per call). */
function genAiChat(responseId: unknown, messages: boolean, tokens: boolean): SpanExpectation | undefined {
  const base = { "llm.model_name": MODEL, "llm.provider": "openai", "llm.system": "openai" };
  const t: Record<string, PhoenixAttributeValue> = tokens ? TOKENS : {};
  const content: Record<string, PhoenixAttributeValue> = messages
    ? {
        "llm.input_messages.0.message.role": "user",
        "llm.output_messages.0.message.role": "assistant",
      }
    : {};
  switch (responseId) {
    case "chatcmpl-fake1":
      return {
        kind: "LLM",
        equals: {
          ...base,
          ...t,
          ...(messages
            ? {
                "llm.input_messages.0.message.role": "system",
                "llm.input_messages.0.message.content": "You are a weather assistant.",
                "llm.input_messages.1.message.role": "user",
                "llm.input_messages.1.message.content": "What is the weather in Paris?",
                "llm.output_messages.0.message.content": ANSWER,
                "output.value": ANSWER,
              }
            : {}),
        },
        present: ["llm.invocation_parameters", ...(messages ? ["input.value"] : [])],
        ...(messages ? {} : { absent: ["llm.input_messages.0.message.role", "input.value"] }),
      };
    case "chatcmpl-fake2":
      return {
        kind: "LLM",
        equals: {
          ...base,
          ...t,
          ...content,
          ...(messages
            ? {
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
              }
            : {}),
        },
        present: messages ? ["llm.tools.0.tool.json_schema"] : [],
      };
    case "chatcmpl-fake3":
      return {
        kind: "LLM",
        equals: { ...base, ...t, ...content, ...(messages ? { "llm.input_messages.2.message.role": "tool" } : {}) },
      };
    case "chatcmpl-fake4":
      return { kind: "LLM", equals: { ...base, ...content, ...(messages ? { "output.value": ANSWER } : {}) } };
    case "cmpl-fake5":
      return { kind: "LLM", equals: { ...base, "llm.model_name": "gpt-3.5-turbo-instruct", ...t } };
    case "resp_fake6":
      return { kind: "LLM", equals: { ...base, ...t }, present: messages ? ["llm.input_messages.0.message.content"] : [] };
    default:
      return undefined;
  }
}

const openInferenceOpenAI: Producer = {
  id: "openinference-openai",
  title: "`@arizeai/openinference-instrumentation-openai`",
  packages: ["@arizeai/openinference-instrumentation-openai", "openai"],
  how: "openai client against a fake OpenAI server on 127.0.0.1; instrumented with manuallyInstrument",
  run: openAIRun((provider) => new OpenInferenceOpenAI({ tracerProvider: provider }).manuallyInstrument(openaiModule as never)),
  expect(span): SpanExpectation | undefined {
    if (span.name === "OpenAI Embeddings") {
      return {
        kind: "EMBEDDING",
        equals: { "embedding.model_name": "text-embedding-3-small", "embedding.embeddings.1.embedding.text": "rainy London" },
        present: ["embedding.embeddings.0.embedding.vector"],
      };
    }
    if (span.name.startsWith("OpenAI ")) {
      return { kind: "LLM", present: ["llm.model_name", "llm.system", "input.value", "output.value"] };
    }
    return undefined;
  },
};

type OtelOpenAIInstrumentation = new (config: { captureMessageContent: boolean }) => InstanceType<typeof OtelOpenAI021>;

/** `@opentelemetry/instrumentation-openai` (either release) on the calls of openai-calls.ts. */
function otelOpenAIRun(load: () => Promise<OtelOpenAIInstrumentation>): () => Promise<ReadableSpan[]> {
  return async () => {
    const Instrumentation = await load();
    return openAIRun((provider) => {
      const previous = process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
      process.env.OTEL_SEMCONV_STABILITY_OPT_IN = "gen_ai_latest_experimental";
      const instrumentation = new Instrumentation({ captureMessageContent: true });
      if (previous === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
      else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = previous;
      instrumentation.setTracerProvider(provider);
      // Its histograms are created only with a meter provider; without one, a streamed call throws.
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      instrumentation.getModuleDefinitions()[0]!.patch!(openaiModule);
    })();
  };
}

function otelOpenAIExpect(span: ReadableSpan): SpanExpectation | undefined {
  if (span.name.startsWith("embeddings ")) {
    return { kind: "EMBEDDING", equals: { "embedding.model_name": "text-embedding-3-small", "llm.provider": "openai", "llm.token_count.prompt": 8 } };
  }
  const expectation = genAiChat(id(span, "gen_ai.response.id"), false, true);
  if (expectation && id(span, "gen_ai.response.id") === "resp_fake6") {
    // The Responses API call: its instructions are the one message this producer puts on a span.
    expectation.equals = { ...expectation.equals, "llm.input_messages.0.message.role": "system", "llm.input_messages.0.message.content": "Answer in one sentence." };
    delete expectation.absent;
  }
  if (expectation && id(span, "gen_ai.response.id") === "chatcmpl-fake4") delete expectation.equals?.["llm.token_count.total"];
  return expectation;
}

const OTEL_OPENAI_HOW =
  "openai client against a fake OpenAI server on 127.0.0.1, captureMessageContent on and OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental " +
  "(this version ignores the variable and writes messages only as log records, never as span attributes)";

const otelOpenAI: Producer = {
  id: "otel-openai",
  title: "`@opentelemetry/instrumentation-openai` 0.22 (OpenTelemetry JS 3)",
  packages: ["@opentelemetry/instrumentation-openai", "openai"],
  how: OTEL_OPENAI_HOW,
  node: { min: "22.15.0", why: "@opentelemetry/instrumentation-openai 0.22 (OpenTelemetry JS 3) requires Node >= 22.15" },
  // Loaded only when run, so that Node 20 never loads a package it does not support.
  run: otelOpenAIRun(async () => (await import("@opentelemetry/instrumentation-openai")).OpenAIInstrumentation as unknown as OtelOpenAIInstrumentation),
  expect: otelOpenAIExpect,
};

const otelOpenAI021: Producer = {
  id: "otel-openai-0.21",
  title: "`@opentelemetry/instrumentation-openai` 0.21 (OpenTelemetry JS 2)",
  packages: ["otel2-instrumentation-openai", "openai"],
  how: `${OTEL_OPENAI_HOW}; installed as otel2-instrumentation-openai`,
  run: otelOpenAIRun(async () => OtelOpenAI021),
  expect: otelOpenAIExpect,
};

const traceloopOpenAI: Producer = {
  id: "traceloop-openai",
  title: "`@traceloop/instrumentation-openai` 0.25+ (OpenLLMetry)",
  packages: ["@traceloop/instrumentation-openai", "openai"],
  how: "openai client against a fake OpenAI server on 127.0.0.1; instrumented with manuallyInstrument, enrichTokens off",
  run: openAIRun((provider) => {
    const instrumentation = new TraceloopOpenAI({ enrichTokens: false, traceContent: true });
    instrumentation.setTracerProvider(provider);
    instrumentation.manuallyInstrument(openaiModule.OpenAI as never);
  }),
  expect(span): SpanExpectation | undefined {
    const responseId = id(span, "gen_ai.response.id");
    const expectation = genAiChat(responseId, true, responseId !== "chatcmpl-fake4");
    if (expectation && responseId === "chatcmpl-fake1") {
      expectation.present = ["llm.invocation_parameters", "input.value"];
    }
    return expectation;
  },
};

const traceloopOpenAILegacy: Producer = {
  id: "traceloop-openai-legacy",
  title: "`@traceloop/instrumentation-openai` before 0.25 (deprecated `gen_ai.prompt.N.*`)",
  packages: ["traceloop-instrumentation-openai-legacy", "openai"],
  how: "@traceloop/instrumentation-openai@0.22 (installed as traceloop-instrumentation-openai-legacy); openai client against a fake OpenAI server on 127.0.0.1",
  run: openAIRun((provider) => {
    const instrumentation = new TraceloopOpenAILegacy({ enrichTokens: false, traceContent: true });
    instrumentation.setTracerProvider(provider);
    instrumentation.manuallyInstrument(openaiModule.OpenAI as never);
  }),
  expect(span): SpanExpectation | undefined {
    // No response id in this version: the calls are told apart by their prompt.
    const prompt = id(span, "gen_ai.prompt.0.content");
    const base = { "llm.model_name": MODEL, "llm.provider": "openai", "llm.system": "openai" };
    if (span.name === "openai.completion") return { kind: "LLM", equals: { ...base, "llm.model_name": "gpt-3.5-turbo-instruct", ...TOKENS } };
    if (prompt === "You are a weather assistant.") {
      return {
        kind: "LLM",
        equals: {
          ...base,
          ...TOKENS,
          "llm.input_messages.0.message.role": "system",
          "llm.input_messages.1.message.content": "What is the weather in Paris?",
          "llm.output_messages.0.message.content": ANSWER,
        },
        present: ["llm.invocation_parameters", "input.value", "output.value"],
      };
    }
    if (prompt === "Weather in Paris?" && id(span, "gen_ai.prompt.2.role") === undefined) {
      return {
        kind: "LLM",
        equals: {
          ...base,
          ...TOKENS,
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
          "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city":"Paris"}',
        },
        present: ["llm.tools.0.tool.json_schema"],
      };
    }
    if (prompt === "Weather in Paris?") return { kind: "LLM", equals: { ...base, ...TOKENS, "llm.input_messages.2.message.role": "tool" } };
    if (prompt === "Stream the weather in Paris.") return { kind: "LLM", equals: { ...base, "llm.output_messages.0.message.content": ANSWER } };
    return undefined;
  },
};

function langChainRun(instrument: (provider: TracerProvider) => () => void): () => Promise<ReadableSpan[]> {
  return () =>
    record(async (provider) => {
      const undo = instrument(provider);
      try {
        await runLangChainApp();
      } finally {
        undo();
      }
    });
}

const openInferenceLangChain: Producer = {
  id: "openinference-langchain",
  title: "`@arizeai/openinference-instrumentation-langchain`",
  packages: ["@arizeai/openinference-instrumentation-langchain", "@langchain/core"],
  how: "a retrieval chain on @langchain/core's own fakes (FakeRetriever, FakeListChatModel) and a tool; instrumented with manuallyInstrument",
  run: langChainRun((provider) => {
    const instrumentation = new OpenInferenceLangChain({ tracerProvider: provider });
    instrumentation.manuallyInstrument(CallbackManagerModule);
    return () => instrumentation.disable();
  }),
  expect(span): SpanExpectation | undefined {
    const kinds: Record<string, SpanExpectation | undefined> = {
      FakeRetriever: { kind: "RETRIEVER", equals: { "retrieval.documents.0.document.content": "Paris is sunny today." } },
      FakeListChatModel: { kind: "LLM", equals: { "llm.output_messages.0.message.content": ANSWER }, present: ["llm.input_messages.1.message.content"] },
      ChatPromptTemplate: { kind: "PROMPT", present: ["llm.prompt_template.template"] },
      get_weather: { kind: "TOOL", equals: { "tool.name": "get_weather" } },
    };
    return kinds[span.name] ?? { kind: "CHAIN", present: ["input.value", "output.value"] };
  },
};

const traceloopLangChain: Producer = {
  id: "traceloop-langchain",
  title: "`@traceloop/instrumentation-langchain` (OpenLLMetry `traceloop.span.kind`)",
  packages: ["@traceloop/instrumentation-langchain", "@langchain/core"],
  how: "the same LangChain app as openinference-langchain; instrumented with manuallyInstrument",
  run: langChainRun((provider) => {
    const instrumentation = new TraceloopLangChain({});
    instrumentation.setTracerProvider(provider);
    instrumentation.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });
    // Its patch cannot be undone; each producer run gets a fresh provider, so a later run only sees its own spans.
    return () => instrumentation.setTracerProvider(memoryProvider().provider);
  }),
  expect(span): SpanExpectation | undefined {
    if (span.name.startsWith("execute_tool ")) return { kind: "TOOL", equals: { "tool.name": "DynamicStructuredTool" }, present: ["input.value", "output.value"] };
    if (span.name.startsWith("chat ")) {
      return {
        kind: "LLM",
        equals: { "llm.input_messages.0.message.role": "system", "llm.output_messages.0.message.content": ANSWER, "output.value": ANSWER },
      };
    }
    if (span.name.startsWith("workflow ")) return { kind: "CHAIN", present: ["input.value", "output.value"] };
    return undefined;
  },
};

const vercelAI: Producer = {
  id: "vercel-ai",
  title: "Vercel AI SDK 6 (`ai` 6 with `experimental_telemetry`)",
  packages: ["ai6"],
  how: "generateText (plain and with a tool), streamText, generateObject, embed, embedMany and rerank on the SDK's mock models (ai/test)",
  run: () => record(async (provider) => runVercelAI(provider.getTracer("ai"))),
  expect(span): SpanExpectation | undefined {
    const session = { "session.id": "session-42", "user.id": "user-7", metadata: '{"tenant":"acme"}' };
    const llm = { "llm.model_name": "mock-model-1", "llm.provider": "mock-provider" };
    const tokens = {
      ...TOKENS,
      "llm.token_count.prompt_details.cache_read": 4,
      "llm.token_count.prompt_details.cache_write": 0,
      "llm.token_count.completion_details.reasoning": 2,
    };
    switch (span.name) {
      case "ai.generateText":
      case "ai.streamText":
      case "ai.generateObject":
        return { kind: "CHAIN", equals: session, present: ["input.value", "output.value"], absent: ["llm.token_count.prompt"] };
      case "ai.generateText.doGenerate":
      case "ai.streamText.doStream":
        return {
          kind: "LLM",
          equals: { ...session, ...llm, ...tokens, "llm.output_messages.0.message.role": "assistant" },
          present: ["llm.input_messages.0.message.role", "input.value"],
        };
      case "ai.generateObject.doGenerate":
        return { kind: "LLM", equals: { ...llm, ...TOKENS, "output.value": '{"city":"Paris","temperature":21}' } };
      case "ai.toolCall":
        return { kind: "TOOL", equals: { ...session, "tool.name": "getWeather", "input.value": '{"city":"Paris"}' }, present: ["output.value"] };
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
          equals: {
            "reranker.model_name": "mock-reranker-1",
            "reranker.output_documents.0.document.content": "sunny Paris",
            "reranker.output_documents.0.document.score": 0.9,
          },
        };
      default:
        return undefined;
    }
  },
};

const langSmith: Producer = {
  id: "langsmith",
  title: "LangSmith (`langsmith` in OpenTelemetry mode, `langsmith.span.kind`)",
  packages: ["langsmith"],
  how: "traceable() runs (chain → retriever, tool, llm) with a Client in tracingMode \"otel\"; no LangSmith API call is made",
  run: () => record(async (provider) => runLangSmith(provider)),
  expect(span): SpanExpectation | undefined {
    const session = { "session.id": "session-42", "user.id": "user-7" };
    switch (span.name) {
      case "weather-pipeline":
        return { kind: "CHAIN", equals: { ...session, "tag.tags": ["rag"] }, present: ["input.value", "output.value"], absent: ["llm.provider"] };
      case "search-weather":
        return { kind: "RETRIEVER", equals: session, present: ["retrieval.documents.0.document.content", "input.value"] };
      case "get_weather":
        return { kind: "TOOL", equals: { ...session, "tool.name": "get_weather" }, present: ["input.value", "output.value"] };
      case "ChatOpenAI":
        return {
          kind: "LLM",
          equals: {
            ...session,
            ...TOKENS,
            "llm.model_name": MODEL,
            "llm.provider": "openai",
            "llm.input_messages.1.message.role": "user",
            "llm.output_messages.0.message.content": ANSWER,
          },
          present: ["input.value", "output.value"],
        };
      default:
        return undefined;
    }
  },
};

const plainOtel: Producer = {
  id: "plain-otel",
  title: "Plain OpenTelemetry: vector-database and HTTP client spans",
  packages: ["@opentelemetry/sdk-trace-base"],
  how:
    "hand-built with the real OpenTelemetry SDK, attributes as the database and HTTP semantic conventions and OpenLLMetry's vector-DB " +
    "instrumentations write them (no vector database or model host is reached)",
  run: () => record(async (provider) => runPlainOtel(provider.getTracer("plain"))),
  expect(span): SpanExpectation | undefined {
    const system = span.attributes["db.system.name"] ?? span.attributes["db.system"];
    if (span.name.startsWith("not-retrieval")) return { kind: "UNKNOWN" };
    if (system !== undefined) return { kind: "RETRIEVER", present: ["input.value"] };
    if (span.name.startsWith("POST embeddings")) return { kind: "EMBEDDING", equals: { "llm.provider": "openai" } };
    if (span.name.startsWith("POST")) return { kind: "LLM", present: ["llm.provider"] };
    if (span.name.startsWith("GET")) return { kind: "UNKNOWN" };
    return undefined;
  },
};

export const PRODUCERS: readonly Producer[] = [
  openInferenceOpenAI,
  openInferenceLangChain,
  openInferenceLangGraph,
  openInferenceAnthropic,
  openInferenceOpenAIAgents,
  otelOpenAI,
  otelOpenAI021,
  traceloopOpenAI,
  traceloopOpenAILegacy,
  traceloopLangChain,
  vercelAI,
  aiSdk7,
  aiSdk7Legacy,
  langSmith,
  plainOtel,
];
