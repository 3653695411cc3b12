import { diag } from "@opentelemetry/api";
import { MimeType, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { createAttributes, safeJson } from "../mapping/attributes.js";
import { readChatMessages, type ChatMessage } from "../mapping/chat-messages.js";
import { isRecord } from "../mapping/json-text.js";
import { setCount, setIfAbsent, writeDocuments, writeEmbeddings, writeMessages, type DocumentLike } from "../mapping/openinference-writer.js";
import type { PhoenixAttributes } from "../mapping/phoenix-span.js";
import type { SpanType } from "./span-types.js";

/**
 * `inputData` / `outputData` of a logged span → OpenInference attributes.
 *
 * Always `input.value` / `output.value`: a string as is (`text/plain`),
 * anything else as JSON text (`application/json`; Phoenix silently drops an
 * attribute whose value is an object). Then, where the shape is recognisable
 * for the span type, the detail Phoenix shows in its own panes, written with
 * the mapping's OpenInference writers (so a message list may be in any shape
 * the mapping reads: OpenAI, OpenTelemetry GenAI parts, Vercel AI SDK…):
 *
 * - llm: a string, `{prompt, system?}` or `{messages}` → `llm.input_messages`;
 *   a string, `{response | content | text | completion}` or `{messages}` →
 *   `llm.output_messages`; `model` → `llm.model_name`; `usage` (prompt /
 *   completion / total or input / output tokens, camel or snake case) →
 *   `llm.token_count.*`.
 * - retriever: an array or `{documents}` of strings or `{content | text |
 *   pageContent, id, score, metadata}` → `retrieval.documents.N.document.*`.
 * - reranker: `{query, documents, topK?, model?}` in, documents out →
 *   `reranker.*`.
 * - embedding: text(s) in (`string`, `string[]`, `{text | texts | input}`),
 *   vector(s) out (`number[]`, `number[][]`, `{embedding | embeddings |
 *   vectors}`) → `embedding.embeddings.N.embedding.{text, vector}`.
 * - tool: `tool.name` and the input as `tool.parameters`; agent: `agent.name`.
 *
 * Never throws: a hostile value (throwing getter, cycle, BigInt) keeps its
 * `input.value` text and loses only the detail.
 */
export function ioAttributes(spanType: SpanType, name: string, input: unknown, output: unknown): PhoenixAttributes {
  const out = createAttributes();
  setValue(out, SC.INPUT_VALUE, SC.INPUT_MIME_TYPE, input);
  setValue(out, SC.OUTPUT_VALUE, SC.OUTPUT_MIME_TYPE, output);
  const detail = createAttributes();
  try {
    DETAIL.get(spanType)?.(detail, name, input, output);
  } catch (error) {
    diag.debug(`phoenix-connector: could not read ${spanType} detail from the span's data: ${(error as Error).message}`);
    return out;
  }
  return Object.assign(out, detail);
}

type Detail = (out: PhoenixAttributes, name: string, input: unknown, output: unknown) => void;

const DETAIL: ReadonlyMap<SpanType, Detail> = new Map<SpanType, Detail>([
  ["llm", llmDetail],
  ["retriever", (out, _name, _input, output) => documents(out, SC.RETRIEVAL_DOCUMENTS, documentList(output))],
  ["reranker", rerankerDetail],
  ["embedding", embeddingDetail],
  ["tool", toolDetail],
  ["agent", (out, name) => {
    out[SC.AGENT_NAME] = name;
  }],
]);

function setValue(out: PhoenixAttributes, valueKey: string, mimeKey: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === "string") {
    out[valueKey] = value;
    out[mimeKey] = MimeType.TEXT;
  } else {
    out[valueKey] = safeJson(value);
    out[mimeKey] = MimeType.JSON;
  }
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function firstNumber(record: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

function llmDetail(out: PhoenixAttributes, _name: string, input: unknown, output: unknown): void {
  if (typeof input === "string") {
    writeMessages(out, SC.LLM_INPUT_MESSAGES, [{ role: "user", content: input }]);
  } else if (isRecord(input)) {
    if (Array.isArray(input.messages)) {
      writeMessages(out, SC.LLM_INPUT_MESSAGES, readChatMessages(input.messages) ?? []);
    } else {
      const prompt = firstString(input, ["prompt", "input", "question"]);
      const system = firstString(input, ["system", "systemPrompt", "system_prompt"]);
      const list: ChatMessage[] = [
        ...(system !== undefined ? [{ role: "system", content: system }] : []),
        ...(prompt !== undefined ? [{ role: "user", content: prompt }] : []),
      ];
      writeMessages(out, SC.LLM_INPUT_MESSAGES, list);
    }
    const model = firstString(input, ["model", "modelName", "model_name"]);
    setIfAbsent(out, SC.LLM_MODEL_NAME, model);
    const parameters = input.parameters ?? input.invocationParameters;
    if (isRecord(parameters)) setIfAbsent(out, SC.LLM_INVOCATION_PARAMETERS, safeJson(parameters));
  }
  if (typeof output === "string") {
    writeMessages(out, SC.LLM_OUTPUT_MESSAGES, [{ role: "assistant", content: output }]);
  } else if (isRecord(output)) {
    if (Array.isArray(output.messages)) {
      writeMessages(out, SC.LLM_OUTPUT_MESSAGES, readChatMessages(output.messages) ?? []);
    } else {
      const response = firstString(output, ["response", "content", "text", "completion", "output"]);
      if (response !== undefined) writeMessages(out, SC.LLM_OUTPUT_MESSAGES, [{ role: "assistant", content: response }]);
    }
    const model = firstString(output, ["model", "modelName", "model_name"]);
    setIfAbsent(out, SC.LLM_MODEL_NAME, model);
    if (isRecord(output.usage)) tokenCounts(out, output.usage);
  }
}

function tokenCounts(out: PhoenixAttributes, usage: Record<string, unknown>): void {
  const prompt = firstNumber(usage, ["promptTokens", "prompt_tokens", "inputTokens", "input_tokens"]);
  const completion = firstNumber(usage, ["completionTokens", "completion_tokens", "outputTokens", "output_tokens"]);
  const total = firstNumber(usage, ["totalTokens", "total_tokens"]) ?? (prompt !== undefined && completion !== undefined ? prompt + completion : undefined);
  setCount(out, SC.LLM_TOKEN_COUNT_PROMPT, prompt);
  setCount(out, SC.LLM_TOKEN_COUNT_COMPLETION, completion);
  setCount(out, SC.LLM_TOKEN_COUNT_TOTAL, total);
}

function documentList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Array.isArray(value.documents)) return value.documents;
  return [];
}

/** Strings and `{content | text | pageContent, id, score, metadata}` → the mapping's document form. */
function documents(out: PhoenixAttributes, list: string, items: readonly unknown[]): void {
  const docs = items.map((doc): DocumentLike => {
    if (!isRecord(doc)) return { content: doc };
    const content = firstString(doc, ["content", "text", "pageContent", "page_content"]);
    return {
      id: doc.id,
      content: content ?? safeJson(doc),
      score: firstNumber(doc, ["score", "relevance", "relevanceScore"]),
      metadata: doc.metadata,
    };
  });
  writeDocuments(out, docs, list);
}

function rerankerDetail(out: PhoenixAttributes, _name: string, input: unknown, output: unknown): void {
  if (isRecord(input)) {
    setIfAbsent(out, SC.RERANKER_QUERY, firstString(input, ["query", "question"]));
    setCount(out, SC.RERANKER_TOP_K, firstNumber(input, ["topK", "top_k"]));
    setIfAbsent(out, SC.RERANKER_MODEL_NAME, firstString(input, ["model", "modelName", "model_name"]));
    documents(out, SC.RERANKER_INPUT_DOCUMENTS, documentList(input));
  }
  documents(out, SC.RERANKER_OUTPUT_DOCUMENTS, documentList(output));
}

function embeddingDetail(out: PhoenixAttributes, _name: string, input: unknown, output: unknown): void {
  let texts: unknown[] = [];
  if (typeof input === "string") texts = [input];
  else if (Array.isArray(input)) texts = input;
  else if (isRecord(input)) {
    const value = input.texts ?? input.text ?? input.input;
    texts = Array.isArray(value) ? value : value === undefined ? [] : [value];
    setIfAbsent(out, SC.EMBEDDING_MODEL_NAME, firstString(input, ["model", "modelName", "model_name"]));
  }
  let vectors: unknown[] = [];
  const raw = isRecord(output) ? (output.embeddings ?? output.vectors ?? output.embedding) : output;
  if (Array.isArray(raw)) vectors = raw.length > 0 && raw.every((v) => typeof v === "number") ? [raw] : raw;
  writeEmbeddings(out, texts, vectors);
}

function toolDetail(out: PhoenixAttributes, name: string, input: unknown): void {
  out[SC.TOOL_NAME] = name;
  if (input !== undefined) out[SC.TOOL_PARAMETERS] = typeof input === "string" ? input : safeJson(input);
}
