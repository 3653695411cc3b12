import type { TraceConfig } from "./trace-config.js";

/**
 * What content a source attribute carries (the mapping keeps the source
 * attributes beside the OpenInference ones by default): the same prompt that
 * becomes `input.value` or `llm.input_messages` is also in
 * `gen_ai.input.messages`, `ai.prompt.messages` or `traceloop.entity.input`.
 * Each setting that hides a kind of content hides it here too, so nothing
 * hidden leaks through a kept source attribute.
 */
export const Content = {
  /** What becomes `input.value`. */
  INPUT_VALUE: 1 << 0,
  OUTPUT_VALUE: 1 << 1,
  /** Messages' structure: roles, tool calls, ids. */
  INPUT_MESSAGES: 1 << 2,
  OUTPUT_MESSAGES: 1 << 3,
  /** Messages' text (and texts given to an embedding model). */
  INPUT_TEXT: 1 << 4,
  OUTPUT_TEXT: 1 << 5,
  PROMPTS: 1 << 6,
  /** Removed rather than redacted, as OpenInference removes them. */
  TOOLS: 1 << 7,
  INVOCATION_PARAMETERS: 1 << 8,
  EMBEDDING_VECTORS: 1 << 9,
} as const;

/** Content that is replaced by `__REDACTED__` when hidden (the rest is removed). */
export const REDACTED_CONTENT =
  Content.INPUT_VALUE |
  Content.OUTPUT_VALUE |
  Content.INPUT_MESSAGES |
  Content.OUTPUT_MESSAGES |
  Content.INPUT_TEXT |
  Content.OUTPUT_TEXT |
  Content.PROMPTS;

const INPUT_ALL = Content.INPUT_VALUE | Content.INPUT_MESSAGES | Content.INPUT_TEXT;
const OUTPUT_ALL = Content.OUTPUT_VALUE | Content.OUTPUT_MESSAGES | Content.OUTPUT_TEXT;

/** Source keys by exact name. */
const EXACT: ReadonlyMap<string, number> = new Map([
  // OpenTelemetry GenAI semantic conventions, OpenLLMetry 0.25+
  ["gen_ai.input.messages", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.system_instructions", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.output.messages", Content.OUTPUT_MESSAGES | Content.OUTPUT_TEXT],
  ["gen_ai.tool.definitions", Content.TOOLS],
  ["gen_ai.tool.call.arguments", Content.INPUT_VALUE],
  ["gen_ai.tool.call.result", Content.OUTPUT_VALUE],
  ["gen_ai.retrieval.query.text", Content.INPUT_VALUE],
  // The deprecated whole-prompt attributes (LangSmith's run inputs and outputs, old GenAI events)
  ["gen_ai.prompt", INPUT_ALL],
  ["gen_ai.completion", OUTPUT_ALL],
  // Vercel AI SDK
  ["ai.prompt", INPUT_ALL],
  ["ai.prompt.messages", INPUT_ALL],
  ["ai.prompt.tools", Content.TOOLS],
  ["ai.prompt.toolChoice", Content.TOOLS],
  ["ai.response.text", OUTPUT_ALL],
  ["ai.response.object", OUTPUT_ALL],
  ["ai.response.reasoning", OUTPUT_ALL],
  ["ai.response.reasoningText", OUTPUT_ALL],
  ["ai.response.toolCalls", Content.OUTPUT_VALUE | Content.OUTPUT_MESSAGES],
  ["ai.toolCall.args", Content.INPUT_VALUE],
  ["ai.toolCall.result", Content.OUTPUT_VALUE],
  ["ai.value", Content.INPUT_VALUE | Content.INPUT_TEXT],
  ["ai.values", Content.INPUT_VALUE | Content.INPUT_TEXT],
  ["ai.embedding", Content.OUTPUT_VALUE | Content.EMBEDDING_VECTORS],
  ["ai.embeddings", Content.OUTPUT_VALUE | Content.EMBEDDING_VECTORS],
  ["ai.documents", Content.INPUT_VALUE],
  ["ai.ranking", Content.OUTPUT_VALUE],
  // OpenLLMetry (Traceloop)
  ["traceloop.entity.input", Content.INPUT_VALUE],
  ["traceloop.entity.output", Content.OUTPUT_VALUE],
  ["llm.top_k", Content.INVOCATION_PARAMETERS],
  ["llm.frequency_penalty", Content.INVOCATION_PARAMETERS],
  ["llm.presence_penalty", Content.INVOCATION_PARAMETERS],
  ["llm.chat.stop_sequences", Content.INVOCATION_PARAMETERS],
  ["llm.is_streaming", Content.INVOCATION_PARAMETERS],
]);

/** The query text of a vector-database span, which the mapping makes the RETRIEVER's `input.value`. */
const RETRIEVER_QUERY_KEYS: ReadonlySet<string> = new Set(["db.query.text", "db.statement"]);

/** What a span event of the GenAI conventions carries in every attribute but its identifying ones. */
const MESSAGE_EVENTS: ReadonlyMap<string, number> = new Map([
  ["gen_ai.system.message", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.user.message", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.assistant.message", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.tool.message", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.content.prompt", Content.INPUT_MESSAGES | Content.INPUT_TEXT],
  ["gen_ai.choice", Content.OUTPUT_MESSAGES | Content.OUTPUT_TEXT],
  ["gen_ai.content.completion", Content.OUTPUT_MESSAGES | Content.OUTPUT_TEXT],
]);
const EVENT_IDENTITY_KEYS: ReadonlySet<string> = new Set(["gen_ai.system", "gen_ai.provider.name", "event.name", "role", "index", "id", "finish_reason"]);

/** The content a span attribute carries (0: none this module knows of). */
export function sourceContent(key: string, spanKind: string): number {
  const exact = EXACT.get(key);
  if (exact !== undefined) return exact;
  switch (key.charCodeAt(0)) {
    case 0x67: // g
      if (key.startsWith("gen_ai.prompt.")) return indexedMessage(key, Content.INPUT_MESSAGES, Content.INPUT_TEXT);
      if (key.startsWith("gen_ai.completion.")) return indexedMessage(key, Content.OUTPUT_MESSAGES, Content.OUTPUT_TEXT);
      if (key.startsWith("gen_ai.request.") && key !== "gen_ai.request.model") return Content.INVOCATION_PARAMETERS;
      return 0;
    case 0x61: // a
      return key.startsWith("ai.settings.") ? Content.INVOCATION_PARAMETERS : 0;
    case 0x6c: // l
      return key.startsWith("llm.request.functions.") ? Content.TOOLS : 0;
    case 0x64: // d
      return spanKind === "RETRIEVER" && RETRIEVER_QUERY_KEYS.has(key) ? Content.INPUT_VALUE : 0;
    default:
      return 0;
  }
}

/** The content an event's attribute carries, from the event's name and then its key. */
export function eventContent(eventName: string, key: string, spanKind: string): number {
  const byEvent = MESSAGE_EVENTS.get(eventName);
  if (byEvent !== undefined && !EVENT_IDENTITY_KEYS.has(key)) return byEvent;
  return sourceContent(key, spanKind);
}

/** `gen_ai.prompt.0.content` is text; `gen_ai.prompt.0.role`, `….tool_calls.0.arguments` are message structure. */
function indexedMessage(key: string, structure: number, text: number): number {
  return key.endsWith(".content") ? structure | text : structure;
}

/** The content each setting hides. */
export function hiddenContent(c: TraceConfig): number {
  let hidden = 0;
  if (c.hideInputs) hidden |= INPUT_ALL | Content.PROMPTS | Content.TOOLS;
  if (c.hideOutputs) hidden |= OUTPUT_ALL;
  if (c.hideInputMessages) hidden |= Content.INPUT_MESSAGES | Content.INPUT_TEXT;
  if (c.hideOutputMessages) hidden |= Content.OUTPUT_MESSAGES | Content.OUTPUT_TEXT;
  if (c.hideInputText) hidden |= Content.INPUT_TEXT;
  if (c.hideOutputText) hidden |= Content.OUTPUT_TEXT;
  if (c.hidePrompts) hidden |= Content.PROMPTS;
  if (c.hideLLMTools) hidden |= Content.TOOLS;
  if (c.hideLLMInvocationParameters) hidden |= Content.INVOCATION_PARAMETERS;
  if (c.hideEmbeddingVectors) hidden |= Content.EMBEDDING_VECTORS;
  return hidden;
}
