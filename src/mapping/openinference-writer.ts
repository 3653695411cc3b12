import { MimeType, SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { Attributes } from "@opentelemetry/api";
import { toPhoenixValue } from "./attributes.js";
import type { ChatMessage } from "./chat-messages.js";
import { asNumber, asText, isRecord } from "./json-text.js";
import type { PhoenixAttributes } from "./phoenix-span.js";

/**
 * Writes derived OpenInference attributes. Every write is "if absent": what
 * the span already carried under an OpenInference name, or what a
 * convention earlier in the precedence derived, wins.
 */
export function setIfAbsent(out: PhoenixAttributes, key: string, value: unknown): void {
  if (value === undefined || value === null || out[key] !== undefined) return;
  const converted = toPhoenixValue(value);
  if (converted !== undefined) out[key] = converted;
}

/** A count attribute: only finite numbers (numeric strings are read as numbers). */
export function setCount(out: PhoenixAttributes, key: string, value: unknown): void {
  const n = asNumber(value);
  if (n !== undefined) setIfAbsent(out, key, n);
}

/** `input.value` with its mime type: text as text/plain, anything else as JSON. */
export function setInput(out: PhoenixAttributes, value: unknown): void {
  setValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, value);
}

export function setOutput(out: PhoenixAttributes, value: unknown): void {
  setValue(out, OI.OUTPUT_VALUE, OI.OUTPUT_MIME_TYPE, value);
}

/**
 * `setInput` / `setOutput` for text the caller has just parsed as JSON
 * (chat messages): the same attributes, without parsing kilobytes of
 * messages a second time only to choose the mime type.
 */
export function setParsedInput(out: PhoenixAttributes, text: string): void {
  setParsedValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, text);
}

export function setParsedOutput(out: PhoenixAttributes, text: string): void {
  setParsedValue(out, OI.OUTPUT_VALUE, OI.OUTPUT_MIME_TYPE, text);
}

function setValue(out: PhoenixAttributes, key: string, mimeKey: string, value: unknown): void {
  if (value === undefined || value === null || out[key] !== undefined) return;
  const text = asText(value);
  if (text === undefined) return;
  out[key] = text;
  if (out[mimeKey] === undefined) out[mimeKey] = typeof value === "string" && !looksLikeJson(value) ? MimeType.TEXT : MimeType.JSON;
}

function setParsedValue(out: PhoenixAttributes, key: string, mimeKey: string, text: string): void {
  if (out[key] !== undefined) return;
  out[key] = text;
  // What looksLikeJson answers for text known to parse: JSON when it opens with { or [.
  if (out[mimeKey] === undefined) out[mimeKey] = opensJsonContainer(text) ? MimeType.JSON : MimeType.TEXT;
}

function opensJsonContainer(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x7b || c === 0x5b;
}

function looksLikeJson(text: string): boolean {
  if (!opensJsonContainer(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `llm.input_messages` / `llm.output_messages` as OpenInference's flattened
 * keys, from `offset`. Phoenix drops object values, so nothing is nested.
 */
export function writeMessages(out: PhoenixAttributes, list: string, messages: readonly ChatMessage[], offset = 0): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const prefix = `${list}.${i + offset}.`;
    setIfAbsent(out, prefix + OI.MESSAGE_ROLE, m.role);
    setIfAbsent(out, prefix + OI.MESSAGE_CONTENT, m.content);
    setIfAbsent(out, prefix + OI.MESSAGE_NAME, m.name);
    setIfAbsent(out, prefix + OI.MESSAGE_TOOL_CALL_ID, m.toolCallId);
    if (m.contents) {
      for (let c = 0; c < m.contents.length; c++) {
        const part = m.contents[c]!;
        const partPrefix = `${prefix}${OI.MESSAGE_CONTENTS}.${c}.`;
        setIfAbsent(out, partPrefix + OI.MESSAGE_CONTENT_TYPE, part.type);
        setIfAbsent(out, partPrefix + OI.MESSAGE_CONTENT_TEXT, part.text);
        setIfAbsent(out, `${partPrefix}${OI.MESSAGE_CONTENT_IMAGE}.${OI.IMAGE_URL}`, part.image);
      }
    }
    if (m.toolCalls) {
      for (let t = 0; t < m.toolCalls.length; t++) {
        const call = m.toolCalls[t]!;
        const callPrefix = `${prefix}${OI.MESSAGE_TOOL_CALLS}.${t}.`;
        setIfAbsent(out, callPrefix + OI.TOOL_CALL_ID, call.id);
        setIfAbsent(out, callPrefix + OI.TOOL_CALL_FUNCTION_NAME, call.name);
        setIfAbsent(out, callPrefix + OI.TOOL_CALL_FUNCTION_ARGUMENTS_JSON, call.arguments);
      }
    }
  }
}

/** `llm.tools.N.tool.json_schema`, each a JSON text. */
export function writeTools(out: PhoenixAttributes, tools: readonly unknown[]): void {
  for (let i = 0; i < tools.length; i++) {
    setIfAbsent(out, `${OI.LLM_TOOLS}.${i}.${OI.TOOL_JSON_SCHEMA}`, asText(tools[i]));
  }
}

export interface DocumentLike {
  id?: unknown;
  content?: unknown;
  score?: unknown;
  metadata?: unknown;
}

/** `retrieval.documents.N.document.*` (or another document list, e.g. reranker output). */
export function writeDocuments(out: PhoenixAttributes, documents: readonly DocumentLike[], list: string = OI.RETRIEVAL_DOCUMENTS): void {
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i]!;
    const prefix = `${list}.${i}.`;
    setIfAbsent(out, prefix + OI.DOCUMENT_ID, d.id === undefined || d.id === null ? undefined : String(d.id));
    setIfAbsent(out, prefix + OI.DOCUMENT_CONTENT, asText(d.content));
    setCount(out, prefix + OI.DOCUMENT_SCORE, d.score);
    // metadata is a JSON string in OpenInference; an object would be dropped by Phoenix.
    setIfAbsent(out, prefix + OI.DOCUMENT_METADATA, isRecord(d.metadata) ? asText(d.metadata) : d.metadata);
  }
}

/** `embedding.embeddings.N.embedding.{text,vector}`. */
export function writeEmbeddings(out: PhoenixAttributes, texts: readonly unknown[], vectors: readonly unknown[]): void {
  const n = Math.max(texts.length, vectors.length);
  for (let i = 0; i < n; i++) {
    const prefix = `${OI.EMBEDDING_EMBEDDINGS}.${i}.`;
    setIfAbsent(out, prefix + OI.EMBEDDING_TEXT, asText(texts[i]));
    const vector = vectors[i];
    if (Array.isArray(vector) && vector.every((v) => typeof v === "number" && Number.isFinite(v))) {
      setIfAbsent(out, prefix + OI.EMBEDDING_VECTOR, vector);
    }
  }
}

/** `metadata` is one JSON string in OpenInference. */
export function setMetadata(out: PhoenixAttributes, metadata: Record<string, unknown> | undefined): void {
  if (metadata && Object.keys(metadata).length > 0) setIfAbsent(out, OI.METADATA, asText(metadata));
}

/**
 * Flattened metadata keys (`<prefix>sessionId`, `<prefix>tenant`…), under
 * one prefix or several: the ones in `lifted` become their OpenInference
 * attribute (`session.id`, `user.id`), the rest one `metadata` JSON object.
 */
export function liftMetadata(
  attributes: Attributes,
  prefixes: string | readonly string[],
  lifted: ReadonlyMap<string, string>,
  out: PhoenixAttributes,
): void {
  let metadata: Record<string, unknown> | undefined;
  for (const key in attributes) {
    const prefix = typeof prefixes === "string" ? (key.startsWith(prefixes) ? prefixes : undefined) : prefixes.find((p) => key.startsWith(p));
    if (prefix === undefined) continue;
    const name = key.slice(prefix.length);
    const target = lifted.get(name);
    if (target) setIfAbsent(out, target, asText(attributes[key]));
    else (metadata ??= {})[name] = attributes[key];
  }
  setMetadata(out, metadata);
}
