import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import * as agents from "@openai/agents";
import { AnthropicInstrumentation } from "@arizeai/openinference-instrumentation-anthropic";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { OpenAIAgentsInstrumentation } from "@arizeai/openinference-instrumentation-openai-agents";
import { anthropicModule, runAnthropicCalls } from "./anthropic-calls.js";
import { FAKE_ANTHROPIC } from "./fake-anthropic-server.js";
import { FAKE_OPENAI } from "./fake-openai-server.js";
import { runLangGraphAgent } from "./langgraph-calls.js";
import { runOpenAIAgents } from "./openai-agents-calls.js";
import type { Producer, SpanExpectation } from "./producer.js";
import { record } from "./record.js";

/*
 * Producers that mark every span with `openinference.span.kind`: the
 * mapping passes kind and attributes through, and these pin that it does
 * (and that the instrumentations still write what Phoenix shows).
 */

export const openInferenceAnthropic: Producer = {
  id: "openinference-anthropic",
  title: "`@arizeai/openinference-instrumentation-anthropic` with `@anthropic-ai/sdk`",
  packages: ["@arizeai/openinference-instrumentation-anthropic", "@anthropic-ai/sdk"],
  how: "Anthropic client against a fake Messages API on 127.0.0.1 (a message with a system prompt, a tool-use round trip, a streamed message); instrumented with manuallyInstrument",
  run: () =>
    record(async (provider) => {
      const instrumentation = new AnthropicInstrumentation({ tracerProvider: provider as never });
      instrumentation.manuallyInstrument(anthropicModule as never);
      try {
        await runAnthropicCalls();
      } finally {
        instrumentation.disable();
      }
    }),
  expect(span: ReadableSpan): SpanExpectation | undefined {
    if (span.name !== "Anthropic Messages") return undefined;
    return {
      kind: "LLM",
      equals: {
        "llm.model_name": FAKE_ANTHROPIC.model,
        "llm.provider": "anthropic",
        "llm.system": "anthropic",
        "llm.token_count.completion": FAKE_ANTHROPIC.usage.output_tokens,
        "llm.token_count.prompt_details.cache_read": FAKE_ANTHROPIC.usage.cache_read_input_tokens,
        "llm.token_count.prompt_details.cache_write": FAKE_ANTHROPIC.usage.cache_creation_input_tokens,
        "llm.input_messages.0.message.role": "user",
        "llm.output_messages.0.message.role": "assistant",
      },
      present: ["input.value", "output.value", "llm.token_count.prompt", "llm.invocation_parameters"],
    };
  },
};

export const openInferenceLangGraph: Producer = {
  id: "openinference-langgraph",
  title: "`@arizeai/openinference-instrumentation-langchain` with LangGraph 1.x",
  packages: ["@arizeai/openinference-instrumentation-langchain", "@langchain/langgraph", "@langchain/core"],
  how:
    "a StateGraph agent (agent node on a BaseChatModel fake that asks for a tool, then answers; tools node with ToolNode) run with session/user metadata; " +
    "instrumented with manuallyInstrument",
  run: () =>
    record(async (provider) => {
      const instrumentation = new LangChainInstrumentation({ tracerProvider: provider as never });
      instrumentation.manuallyInstrument(CallbackManagerModule);
      try {
        await runLangGraphAgent();
      } finally {
        instrumentation.disable();
      }
    }),
  expect(span: ReadableSpan): SpanExpectation | undefined {
    const session = { "session.id": "session-42" };
    switch (span.name) {
      case "WeatherChatModel":
        return { kind: "LLM", equals: session, present: ["llm.input_messages.0.message.role", "llm.output_messages.0.message.role", "input.value", "output.value"] };
      case "get_weather":
        return { kind: "TOOL", equals: { ...session, "tool.name": "get_weather" }, present: ["input.value", "output.value"] };
      case "weather-graph":
        return { kind: "CHAIN", equals: session, present: ["input.value", "output.value", "metadata"] };
      case "__start__":
      case "agent":
      case "tools":
      case "RunnableLambda":
        return { kind: "CHAIN", equals: session, present: ["input.value", "output.value"] };
      default:
        return undefined;
    }
  },
};

export const openInferenceOpenAIAgents: Producer = {
  id: "openinference-openai-agents",
  title: "`@arizeai/openinference-instrumentation-openai-agents` with `@openai/agents`",
  packages: ["@arizeai/openinference-instrumentation-openai-agents", "@openai/agents"],
  how:
    "an Agent with one function tool, run(agent, question) on the Responses API of a fake OpenAI server on 127.0.0.1 (a function_call, the tool, the answer); " +
    "the instrumentation's processor registered with manuallyInstrument (exclusive, so the SDK exports nothing itself)",
  run: () =>
    record(async (provider) => {
      const instrumentation = new OpenAIAgentsInstrumentation({ tracerProvider: provider as never });
      instrumentation.manuallyInstrument(agents as never);
      try {
        await runOpenAIAgents(agents);
      } finally {
        instrumentation.uninstrument();
      }
    }),
  expect(span: ReadableSpan): SpanExpectation | undefined {
    switch (span.attributes["openinference.span.kind"]) {
      case "LLM":
        return {
          kind: "LLM",
          equals: {
            "llm.model_name": FAKE_OPENAI.model,
            "llm.provider": "openai",
            "llm.token_count.prompt": FAKE_OPENAI.usage.prompt_tokens,
            "llm.token_count.prompt_details.cache_read": FAKE_OPENAI.cachedTokens,
            "llm.token_count.completion_details.reasoning": FAKE_OPENAI.reasoningTokens,
            "llm.input_messages.0.message.role": "system",
          },
          present: ["input.value", "output.value", "llm.tools.0.tool.json_schema", "llm.output_messages.0.message.role"],
        };
      case "TOOL":
        return { kind: "TOOL", equals: { "tool.name": "get_weather", "input.value": '{"city":"Paris"}' }, present: ["output.value"] };
      case "AGENT":
        // The agent span of "Weather agent" carries only its name; the workflow's root AGENT span has the run's input and output.
        return span.name === "Weather agent"
          ? { kind: "AGENT", equals: { "graph.node.id": "Weather agent" } }
          : { kind: "AGENT", equals: { "output.value": FAKE_OPENAI.answer }, present: ["input.value"] };
      case "CHAIN":
        return { kind: "CHAIN" };
      default:
        return undefined;
    }
  },
};
