import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import { readChatMessage, readChatMessages, type ChatMessage } from "../chat-messages.js";
import { asText, isRecord, parseJsonText } from "../json-text.js";
import { liftMetadata, setIfAbsent, writeDocuments, writeMessages } from "../openinference-writer.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";
import { Found, type SpanFacts } from "./convention.js";

/**
 * LangSmith's OpenTelemetry mode (`langsmith` with `tracingMode: "otel"`):
 * `langsmith.span.kind` is the run type. It decides before
 * `gen_ai.operation.name`, which LangSmith derives from the run type with
 * losses (a retriever run is written as `embeddings`).
 */
const RUN_TYPES: ReadonlyMap<string, PhoenixSpanKind> = new Map<string, PhoenixSpanKind>([
  ["llm", "LLM"],
  ["chain", "CHAIN"],
  ["tool", "TOOL"],
  ["retriever", "RETRIEVER"],
  ["embedding", "EMBEDDING"],
  ["prompt", "PROMPT"],
  ["parser", "CHAIN"],
]);

export function langsmithKind(span: SpanFacts): PhoenixSpanKind | undefined {
  const runType = span.attributes["langsmith.span.kind"];
  return typeof runType === "string" ? RUN_TYPES.get(runType) : undefined;
}

const METADATA_PREFIX = "langsmith.metadata.";
/** LangSmith's thread keys (its docs use any of the three) and the user. */
const LIFTED_METADATA: ReadonlyMap<string, string> = new Map([
  ["session_id", OI.SESSION_ID],
  ["thread_id", OI.SESSION_ID],
  ["conversation_id", OI.SESSION_ID],
  ["user_id", OI.USER_ID],
]);

export function mapLangsmith(span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes): void {
  const a = span.attributes;
  // gen_ai.prompt / gen_ai.completion (the run's inputs and outputs as JSON) become input/output in the GenAI mapper.
  if (kind === "LLM") {
    const inputs = parseJsonText(a["gen_ai.prompt"]);
    const outputs = parseJsonText(a["gen_ai.completion"]);
    if (!(span.found & Found.OI_INPUT_MESSAGES)) {
      const messages = inputMessages(inputs);
      if (messages) writeMessages(out, OI.LLM_INPUT_MESSAGES, messages);
    }
    if (!(span.found & Found.OI_OUTPUT_MESSAGES)) {
      const messages = outputMessages(outputs);
      if (messages) writeMessages(out, OI.LLM_OUTPUT_MESSAGES, messages);
    }
  } else if (kind === "RETRIEVER" && !(span.found & Found.OI_DOCUMENTS)) {
    const documents = retrievedDocuments(parseJsonText(a["gen_ai.completion"]));
    if (documents) writeDocuments(out, documents);
  } else if (kind === "TOOL") {
    setIfAbsent(out, OI.TOOL_NAME, a["gen_ai.tool.name"] ?? a["langsmith.trace.name"]);
  }
  const tags = a["langsmith.span.tags"];
  if (typeof tags === "string" && tags.trim() !== "") {
    setIfAbsent(out, OI.TAG_TAGS, tags.split(",").map((t) => t.trim()).filter((t) => t !== ""));
  }
  if (span.found & Found.SOURCE_METADATA) liftMetadata(a, METADATA_PREFIX, LIFTED_METADATA, out);
}

/** `{messages: [...]}` (OpenAI-style inputs) or LangChain's `{messages: [[...]]}`. */
function inputMessages(inputs: unknown): ChatMessage[] | undefined {
  if (!isRecord(inputs)) return undefined;
  const list = Array.isArray(inputs.messages) ? inputs.messages : undefined;
  if (!list) return typeof inputs.input === "string" ? [{ role: "user", content: inputs.input }] : undefined;
  return readChatMessages(Array.isArray(list[0]) ? list[0] : list);
}

/** OpenAI-style `{choices: [{message}]}`, LangChain's `{generations: [[{message}]]}`, or one message. */
function outputMessages(outputs: unknown): ChatMessage[] | undefined {
  if (!isRecord(outputs)) return undefined;
  if (Array.isArray(outputs.choices)) {
    return outputs.choices
      .map((c) => (isRecord(c) ? readChatMessage({ ...(isRecord(c.message) ? c.message : {}), finish_reason: c.finish_reason }) : undefined))
      .filter((m): m is ChatMessage => m !== undefined);
  }
  if (Array.isArray(outputs.generations)) {
    const first = Array.isArray(outputs.generations[0]) ? outputs.generations[0] : outputs.generations;
    return first
      .map((g) => (isRecord(g) ? readChatMessage(g.message ?? { role: "assistant", content: g.text }) : undefined))
      .filter((m): m is ChatMessage => m !== undefined);
  }
  const single = readChatMessage(outputs.output ?? outputs);
  return single && (single.content !== undefined || single.toolCalls) ? [{ role: "assistant", ...single }] : undefined;
}

/** A retriever's outputs: a list of LangChain-style documents, under `outputs` or `documents`, or the list itself. */
function retrievedDocuments(outputs: unknown): Array<Record<string, unknown>> | undefined {
  const list = Array.isArray(outputs) ? outputs : isRecord(outputs) ? (outputs.outputs ?? outputs.documents ?? outputs.output) : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter(isRecord).map((d) => ({
    id: d.id ?? (isRecord(d.metadata) ? d.metadata.id : undefined),
    content: d.page_content ?? d.pageContent ?? d.content,
    score: d.score,
    metadata: d.metadata,
  }));
}

