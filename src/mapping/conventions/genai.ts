import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import { readChatMessages, type ChatMessage } from "../chat-messages.js";
import { asText, isRecord, parseJsonText } from "../json-text.js";
import { providerNames } from "../llm-providers.js";
import {
  setIfAbsent,
  setInput,
  setOutput,
  setParsedInput,
  setParsedOutput,
  writeDocuments,
  writeMessages,
  writeTools,
} from "../openinference-writer.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";
import { recallModelCall, rememberModelCall } from "../step-memory.js";
import { Found, isModelCall, type SpanFacts } from "./convention.js";
import { conversationInput, conversationOutput } from "./genai-conversation.js";
import { writeUsage, type UsageKeys } from "./usage.js";

/**
 * OpenTelemetry GenAI semantic conventions (semconv 1.45), current and
 * deprecated names alike: `@opentelemetry/instrumentation-openai`,
 * OpenLLMetry (`@traceloop/*`), and the `gen_ai.*` attributes that the
 * Vercel AI SDK and LangSmith also write.
 */
const OPERATION_KINDS: ReadonlyMap<string, PhoenixSpanKind> = new Map<string, PhoenixSpanKind>([
  ["chat", "LLM"],
  ["text_completion", "LLM"],
  ["generate_content", "LLM"],
  ["completion", "LLM"],
  ["embeddings", "EMBEDDING"],
  ["execute_tool", "TOOL"],
  ["invoke_agent", "AGENT"],
  ["create_agent", "AGENT"],
  ["retrieval", "RETRIEVER"],
  ["invoke_workflow", "CHAIN"],
  // AI SDK 7: one span per step of an agent loop, holding that step's model call and tool calls.
  ["agent_step", "CHAIN"],
  ["rerank", "RERANKER"],
]);

/** `gen_ai.operation.name`, when it names a known operation. */
export function genAiOperationKind(span: SpanFacts): PhoenixSpanKind | undefined {
  const operation = span.attributes["gen_ai.operation.name"];
  return typeof operation === "string" ? OPERATION_KINDS.get(operation) : undefined;
}

/**
 * The weaker GenAI signals, consulted after every explicit marker: a
 * guardrail name, or a model named on the span (deprecated producers
 * without `gen_ai.operation.name`).
 */
export function genAiModelKind(span: SpanFacts): PhoenixSpanKind | undefined {
  const a = span.attributes;
  if (a["gen_ai.guardrail.name"] !== undefined) return "GUARDRAIL";
  if (typeof a["gen_ai.request.model"] === "string" || typeof a["gen_ai.response.model"] === "string") return "LLM";
  return undefined;
}

const USAGE: UsageKeys = {
  prompt: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"],
  completion: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"],
  total: ["gen_ai.usage.total_tokens", "llm.usage.total_tokens"],
  cacheRead: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"],
  cacheWrite: ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"],
  reasoning: ["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens"],
};

/** `gen_ai.request.*` → the keys of `llm.invocation_parameters`. */
const INVOCATION_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ["gen_ai.request.temperature", "temperature"],
  ["gen_ai.request.max_tokens", "max_tokens"],
  ["gen_ai.request.top_p", "top_p"],
  ["gen_ai.request.top_k", "top_k"],
  ["gen_ai.request.frequency_penalty", "frequency_penalty"],
  ["gen_ai.request.presence_penalty", "presence_penalty"],
  ["gen_ai.request.stop_sequences", "stop"],
  ["gen_ai.request.seed", "seed"],
  ["gen_ai.request.choice.count", "n"],
  ["gen_ai.request.stream", "stream"],
  ["gen_ai.request.encoding_formats", "encoding_formats"],
]);

export function mapGenAi(span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const a = span.attributes;
  if (isModelCall(kind)) writeModel(a, kind, out);
  switch (kind) {
    case "LLM":
      writeLlmMessages(span, out);
      writeTools(out, toolTexts(a["gen_ai.tool.definitions"]));
      break;
    case "EMBEDDING":
      break;
    case "TOOL":
      setIfAbsent(out, OI.TOOL_NAME, a["gen_ai.tool.name"]);
      setIfAbsent(out, OI.TOOL_DESCRIPTION, a["gen_ai.tool.description"]);
      setInput(out, a["gen_ai.tool.call.arguments"]);
      setOutput(out, a["gen_ai.tool.call.result"]);
      break;
    case "AGENT":
      setIfAbsent(out, OI.AGENT_NAME, a["gen_ai.agent.name"]);
      writeConversation(span, out);
      break;
    case "CHAIN":
      writeConversation(span, out);
      break;
    case "RERANKER":
      setIfAbsent(out, OI.RERANKER_MODEL_NAME, a["gen_ai.request.model"]);
      break;
    case "RETRIEVER": {
      setInput(out, a["gen_ai.retrieval.query.text"]);
      const documents = parseJsonText(a["gen_ai.retrieval.documents"]);
      if (Array.isArray(documents) && !(span.found & Found.OI_DOCUMENTS)) writeDocuments(out, documents.filter(isRecord));
      break;
    }
    default:
      break;
  }
  setIfAbsent(out, OI.SESSION_ID, a["gen_ai.conversation.id"]);
  // The deprecated whole-prompt attributes (LangSmith writes them as JSON text).
  const prompt = a["gen_ai.prompt"];
  if (typeof prompt === "string") setInput(out, prompt);
  const completion = a["gen_ai.completion"];
  if (typeof completion === "string") setOutput(out, completion);
}

function writeModel(a: Attributes, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const model = a["gen_ai.response.model"] ?? a["gen_ai.request.model"];
  setIfAbsent(out, kind === "EMBEDDING" ? OI.EMBEDDING_MODEL_NAME : OI.LLM_MODEL_NAME, model);
  const names = providerNames(a["gen_ai.provider.name"] ?? a["gen_ai.system"]);
  if (names) {
    setIfAbsent(out, OI.LLM_PROVIDER, names.provider);
    setIfAbsent(out, OI.LLM_SYSTEM, names.system);
  }
  writeUsage(a, USAGE, out);
  let parameters: Record<string, unknown> | undefined;
  for (const [key, name] of INVOCATION_PARAMETERS) {
    const value = a[key];
    if (value !== undefined) (parameters ??= {})[name] = value;
  }
  if (parameters) setIfAbsent(out, OI.LLM_INVOCATION_PARAMETERS, asText(parameters));
  const reasons = a["gen_ai.response.finish_reasons"];
  setIfAbsent(out, OI.LLM_FINISH_REASON, Array.isArray(reasons) ? reasons[0] : reasons);
}

function writeLlmMessages(span: SpanFacts, out: PhoenixAttributes): void {
  const a = span.attributes;
  const rawInput = messageList(a["gen_ai.input.messages"]);
  const rawOutput = messageList(a["gen_ai.output.messages"]);
  if (span.parentSpanId !== undefined && (rawInput !== undefined || rawOutput !== undefined)) {
    rememberModelCall(span.traceId, span.parentSpanId, { input: conversationInput(rawInput), output: conversationOutput(rawOutput) });
  }
  if (!(span.found & Found.OI_INPUT_MESSAGES)) {
    const source = a["gen_ai.input.messages"];
    const parsed = readChatMessages(rawInput);
    const input = parsed ?? (span.found & Found.GEN_AI_INDEXED ? indexedMessages(a, "gen_ai.prompt.") : undefined);
    const system = systemInstructions(a["gen_ai.system_instructions"]);
    const messages = system !== undefined ? [{ role: "system", content: system }, ...(input ?? [])] : input;
    if (messages && messages.length > 0) {
      writeMessages(out, OI.LLM_INPUT_MESSAGES, messages);
      if (parsed && typeof source === "string") setParsedInput(out, source);
      else setInput(out, source ?? asText(messages.map(plainMessage)));
    }
  }
  if (!(span.found & Found.OI_OUTPUT_MESSAGES)) {
    const source = a["gen_ai.output.messages"];
    const parsed = readChatMessages(rawOutput);
    const output = parsed ?? (span.found & Found.GEN_AI_INDEXED ? indexedMessages(a, "gen_ai.completion.") : undefined);
    if (output && output.length > 0) {
      writeMessages(out, OI.LLM_OUTPUT_MESSAGES, output);
      const only = output.length === 1 ? output[0]! : undefined;
      if (only?.content !== undefined && !only.toolCalls) setOutput(out, only.content);
      else if (parsed && typeof source === "string") setParsedOutput(out, source);
      else setOutput(out, source ?? asText(output.map(plainMessage)));
    }
  }
}

/** A message list attribute: JSON text (as the semconv has it) or an array already. */
function messageList(value: unknown): unknown[] | undefined {
  const list = typeof value === "string" ? parseJsonText(value) : value;
  return Array.isArray(list) ? list : undefined;
}

/**
 * An agent's or workflow's input and output: the newest user (or tool)
 * message and the final assistant text of its own GenAI messages; for an
 * agent step without messages, those of the model call inside it.
 */
function writeConversation(span: SpanFacts, out: PhoenixAttributes): void {
  const a = span.attributes;
  let input = conversationInput(messageList(a["gen_ai.input.messages"]));
  let output = conversationOutput(messageList(a["gen_ai.output.messages"]));
  if ((input === undefined || output === undefined) && a["gen_ai.operation.name"] === "agent_step") {
    const modelCall = recallModelCall(span.traceId, span.spanId);
    input ??= modelCall?.input;
    output ??= modelCall?.output;
  }
  setInput(out, input);
  setOutput(out, output);
}

/** `gen_ai.system_instructions`: JSON parts per the semconv, or (as instrumentation-openai writes it) plain text. */
function systemInstructions(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseJsonText(value);
  if (Array.isArray(parsed)) {
    const texts = parsed.map((p) => (isRecord(p) ? asText(p.content ?? p.text) : asText(p))).filter((t) => t !== undefined);
    return texts.join("\n");
  }
  return value;
}

/**
 * Each tool of `gen_ai.tool.definitions` as its own JSON text. An
 * application sends the same tool list with every model call, so the texts
 * of the last few lists are remembered by the list's text: the list is
 * parsed and each tool serialised once, not on every span.
 */
function toolTexts(value: unknown): ReadonlyArray<string | undefined> {
  if (typeof value !== "string" || value.length > TOOL_TEXTS_MAX_CHARS) return toolDefinitions(value).map(asText);
  let texts = TOOL_TEXTS.get(value);
  if (texts === undefined) {
    texts = toolDefinitions(value).map(asText);
    // Map order is insertion order: the first key is the oldest.
    if (TOOL_TEXTS.size >= TOOL_TEXTS_MAX) TOOL_TEXTS.delete(TOOL_TEXTS.keys().next().value!);
    TOOL_TEXTS.set(value, texts);
  }
  return texts;
}

const TOOL_TEXTS = new Map<string, ReadonlyArray<string | undefined>>();
const TOOL_TEXTS_MAX = 32;
const TOOL_TEXTS_MAX_CHARS = 64 * 1024;

function toolDefinitions(value: unknown): unknown[] {
  const parsed = parseJsonText(value);
  return Array.isArray(parsed) ? parsed : [];
}

function plainMessage(m: ChatMessage): Record<string, unknown> {
  return { role: m.role, content: m.content, ...(m.toolCalls ? { tool_calls: m.toolCalls } : {}) };
}

/**
 * The deprecated indexed form: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `gen_ai.completion.0.tool_calls.0.name`… One more pass over the attributes,
 * made only for spans that have such keys.
 */
export function indexedMessages(a: Attributes, prefix: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const key in a) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    if (dot <= 0) continue;
    const index = Number(rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 0 || index > 10_000) continue;
    const field = rest.slice(dot + 1);
    const message = (messages[index] ??= {});
    const value = a[key];
    switch (field) {
      case "role":
        if (typeof value === "string") message.role = value;
        break;
      case "content":
        message.content = asText(value);
        break;
      case "finish_reason":
        if (typeof value === "string") message.finishReason = value;
        break;
      case "tool_call_id":
        if (typeof value === "string") message.toolCallId = value;
        break;
      default: {
        const call = /^tool_calls\.(\d+)\.(id|name|arguments)$/.exec(field);
        if (call) {
          const calls = (message.toolCalls ??= []);
          const entry = (calls[Number(call[1])] ??= {});
          entry[call[2] as "id" | "name" | "arguments"] = asText(value);
        }
      }
    }
  }
  // Sparse indexes (a producer that skipped one) close up rather than leave holes.
  return messages.filter((m) => m !== undefined).map((m) => (m.toolCalls ? { ...m, toolCalls: m.toolCalls.filter((c) => c !== undefined) } : m));
}
