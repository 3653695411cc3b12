import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import { readChatMessages, type ChatMessage, type ToolCall } from "../chat-messages.js";
import { asText, isRecord, parseJsonText } from "../json-text.js";
import { providerNames } from "../llm-providers.js";
import {
  liftMetadata,
  setIfAbsent,
  setInput,
  setMetadata,
  setOutput,
  writeDocuments,
  writeEmbeddings,
  writeMessages,
  writeTools,
} from "../openinference-writer.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";
import { Found, isModelCall, type SpanFacts } from "./convention.js";
import { writeUsage, type UsageKeys } from "./usage.js";

/**
 * The Vercel AI SDK (`ai`, with `experimental_telemetry`). Its spans are
 * named by `ai.operationId`: the outer call (`ai.generateText`) and the
 * provider call inside it (`ai.generateText.doGenerate`). AI SDK 6 marks no
 * span as an agent: an agent loop shows as its generateText/streamText
 * calls.
 */
const OPERATION_KINDS: ReadonlyMap<string, PhoenixSpanKind> = new Map<string, PhoenixSpanKind>([
  ["ai.generateText", "CHAIN"],
  ["ai.streamText", "CHAIN"],
  ["ai.generateObject", "CHAIN"],
  ["ai.streamObject", "CHAIN"],
  ["ai.embed", "CHAIN"],
  ["ai.embedMany", "CHAIN"],
  ["ai.rerank", "CHAIN"],
  ["ai.generateText.doGenerate", "LLM"],
  ["ai.streamText.doStream", "LLM"],
  ["ai.generateObject.doGenerate", "LLM"],
  ["ai.streamObject.doStream", "LLM"],
  ["ai.embed.doEmbed", "EMBEDDING"],
  ["ai.embedMany.doEmbed", "EMBEDDING"],
  ["ai.rerank.doRerank", "RERANKER"],
  ["ai.toolCall", "TOOL"],
]);

function operationOf(span: SpanFacts): string | undefined {
  const id = span.attributes["ai.operationId"];
  return typeof id === "string" ? id : span.name;
}

export function vercelAiKind(span: SpanFacts): PhoenixSpanKind | undefined {
  const operation = operationOf(span);
  return operation === undefined ? undefined : OPERATION_KINDS.get(operation);
}

const USAGE: UsageKeys = {
  prompt: ["ai.usage.inputTokens", "ai.usage.promptTokens", "ai.usage.tokens"],
  completion: ["ai.usage.outputTokens", "ai.usage.completionTokens"],
  total: ["ai.usage.totalTokens"],
  cacheRead: ["ai.usage.inputTokenDetails.cacheReadTokens", "ai.usage.cachedInputTokens"],
  cacheWrite: ["ai.usage.inputTokenDetails.cacheWriteTokens"],
  reasoning: ["ai.usage.outputTokenDetails.reasoningTokens", "ai.usage.reasoningTokens"],
};

/**
 * Where the application's own keys are: `ai.telemetry.metadata.*` (AI SDK
 * 6's `experimental_telemetry.metadata`) and `ai.settings.context.*` (AI
 * SDK 7's `runtimeContext`, written when the integration has
 * `runtimeContext: true` and the call lists the keys in
 * `telemetry.includeRuntimeContext`; nested objects are flattened with
 * dots, and stay so in `metadata`).
 */
const METADATA_PREFIXES: readonly string[] = ["ai.telemetry.metadata.", "ai.settings.context."];
const LIFTED_METADATA: ReadonlyMap<string, string> = new Map([
  ["sessionId", OI.SESSION_ID],
  ["session_id", OI.SESSION_ID],
  ["userId", OI.USER_ID],
  ["user_id", OI.USER_ID],
]);

export function mapVercelAi(span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const a = span.attributes;
  if (isModelCall(kind)) {
    const model = a["ai.response.model"] ?? a["ai.model.id"];
    setIfAbsent(out, kind === "EMBEDDING" ? OI.EMBEDDING_MODEL_NAME : OI.LLM_MODEL_NAME, model);
    const names = providerNames(a["ai.model.provider"]);
    if (names) {
      setIfAbsent(out, OI.LLM_PROVIDER, names.provider);
      setIfAbsent(out, OI.LLM_SYSTEM, names.system);
    }
    writeUsage(a, USAGE, out);
  }
  switch (kind) {
    case "LLM":
      mapModelCall(span, out);
      break;
    case "EMBEDDING": {
      // AI SDK 7's embed() operation span has the one value as `ai.value` / `ai.embedding`.
      const texts = a["ai.values"] !== undefined ? jsonItems(a["ai.values"]) : jsonItemOrNone(a["ai.value"]);
      writeEmbeddings(out, texts, a["ai.embeddings"] !== undefined ? jsonItems(a["ai.embeddings"]) : jsonItemOrNone(a["ai.embedding"]));
      if (texts.length > 0) setInput(out, texts.length === 1 ? texts[0] : texts);
      break;
    }
    case "RERANKER":
      mapRerank(a, out);
      break;
    case "TOOL":
      setIfAbsent(out, OI.TOOL_NAME, a["ai.toolCall.name"]);
      setInput(out, a["ai.toolCall.args"]);
      setOutput(out, a["ai.toolCall.result"]);
      break;
    default:
      // The outer call: what the application asked and got.
      setInput(out, a["ai.prompt"] ?? parseJsonText(a["ai.value"]) ?? jsonItemsOrUndefined(a["ai.values"]) ?? jsonItemsOrUndefined(a["ai.documents"]));
      setOutput(out, a["ai.response.text"] ?? a["ai.response.object"] ?? a["ai.embedding"] ?? a["ai.embeddings"] ?? a["ai.ranking"]);
  }
  if (span.found & Found.SOURCE_METADATA) liftMetadata(a, METADATA_PREFIXES, LIFTED_METADATA, out);
}

function mapModelCall(span: SpanFacts, out: PhoenixAttributes): void {
  const a = span.attributes;
  const prompt = a["ai.prompt.messages"];
  if (!(span.found & Found.OI_INPUT_MESSAGES)) {
    const messages = readChatMessages(prompt);
    if (messages) writeMessages(out, OI.LLM_INPUT_MESSAGES, messages);
  }
  setInput(out, prompt);
  const tools = a["ai.prompt.tools"];
  if (Array.isArray(tools) && !(span.found & Found.OI_TOOLS)) writeTools(out, tools);
  const text = a["ai.response.text"] ?? a["ai.response.object"];
  const toolCalls = readToolCalls(a["ai.response.toolCalls"]);
  if (!(span.found & Found.OI_OUTPUT_MESSAGES) && (text !== undefined || toolCalls)) {
    const message: ChatMessage = { role: "assistant" };
    if (text !== undefined) message.content = asText(text);
    if (toolCalls) message.toolCalls = toolCalls;
    writeMessages(out, OI.LLM_OUTPUT_MESSAGES, [message]);
  }
  setOutput(out, text ?? a["ai.response.toolCalls"]);
  setIfAbsent(out, OI.LLM_FINISH_REASON, a["ai.response.finishReason"]);
}

function readToolCalls(value: unknown): ToolCall[] | undefined {
  const parsed = parseJsonText(value);
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  return parsed.filter(isRecord).map((c) => ({
    ...(typeof c.toolCallId === "string" ? { id: c.toolCallId } : {}),
    ...(typeof c.toolName === "string" ? { name: c.toolName } : {}),
    ...(c.input !== undefined || c.args !== undefined ? { arguments: asText(c.input ?? c.args)! } : {}),
  }));
}

/** ai.documents / ai.ranking → reranker.input_documents / reranker.output_documents. */
function mapRerank(a: Attributes, out: PhoenixAttributes): void {
  const documents = jsonItems(a["ai.documents"]);
  if (documents.length > 0) writeDocuments(out, documents.map((content) => ({ content })), OI.RERANKER_INPUT_DOCUMENTS);
  const ranking = jsonItems(a["ai.ranking"]).filter(isRecord);
  if (ranking.length > 0) {
    writeDocuments(
      out,
      ranking.map((r) => ({ content: typeof r.index === "number" ? documents[r.index] : undefined, score: r.relevanceScore })),
      OI.RERANKER_OUTPUT_DOCUMENTS,
    );
  }
  setIfAbsent(out, OI.RERANKER_MODEL_NAME, a["ai.model.id"]);
}

/** The SDK writes lists as arrays of JSON texts (`ai.values`: `["\"sunny Paris\""]`). */
function jsonItems(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => parseJsonText(item) ?? item);
}

/** One JSON-text value as a list of it, or an empty list. */
function jsonItemOrNone(value: unknown): unknown[] {
  return value === undefined ? [] : [parseJsonText(value) ?? value];
}

function jsonItemsOrUndefined(value: unknown): unknown[] | undefined {
  const items = jsonItems(value);
  return items.length > 0 ? items : undefined;
}

