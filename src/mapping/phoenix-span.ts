/**
 * The span shape that Phoenix's REST route `POST /v1/projects/{project}/spans`
 * accepts (`components.schemas.Span` of Phoenix 20.3's openapi.json), and that
 * the local store writes as JSON lines. Everything downstream of the mapping
 * (delivery, local store, export/import, comparison) speaks this type.
 */

/** The span kinds Phoenix stores. Anything else is stored as UNKNOWN. */
export const PHOENIX_SPAN_KINDS = [
  "LLM",
  "CHAIN",
  "TOOL",
  "RETRIEVER",
  "EMBEDDING",
  "AGENT",
  "RERANKER",
  "GUARDRAIL",
  "EVALUATOR",
  "PROMPT",
  "UNKNOWN",
] as const;

export type PhoenixSpanKind = (typeof PHOENIX_SPAN_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(PHOENIX_SPAN_KINDS);

/** True when `value` names a kind Phoenix stores (exact, upper case). */
export function isPhoenixSpanKind(value: unknown): value is PhoenixSpanKind {
  return typeof value === "string" && KIND_SET.has(value);
}

/**
 * Phoenix keeps strings, numbers, booleans and arrays of one of them; a JSON
 * object as a value is silently dropped on ingest (BEHAVIOUR.md), so the
 * mapping never emits one.
 */
export type PhoenixAttributeValue =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[];

/** Flat, dotted attribute keys (`llm.input_messages.0.message.role`). */
export type PhoenixAttributes = Record<string, PhoenixAttributeValue>;

export type PhoenixStatusCode = "OK" | "ERROR" | "UNSET";

export interface PhoenixSpanEvent {
  name: string;
  /** Timezone-aware ISO-8601 with microseconds. */
  timestamp: string;
  attributes: PhoenixAttributes;
}

export interface PhoenixSpanContext {
  /** 32 lowercase hex characters. */
  trace_id: string;
  /** 16 lowercase hex characters. */
  span_id: string;
}

export interface PhoenixSpan {
  name: string;
  context: PhoenixSpanContext;
  span_kind: PhoenixSpanKind;
  parent_id: string | null;
  /** Timezone-aware ISO-8601 with microseconds, e.g. `2026-01-01T12:00:00.123456Z`. */
  start_time: string;
  end_time: string;
  status_code: PhoenixStatusCode;
  status_message: string;
  attributes: PhoenixAttributes;
  events: PhoenixSpanEvent[];
}
