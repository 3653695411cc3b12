import { PhoenixInputError } from "../errors.js";
import type { PhoenixSpanKind } from "../mapping/phoenix-span.js";

/** The span types `logSpan` takes. */
export const SPAN_TYPES = [
  "llm",
  "chain",
  "tool",
  "retriever",
  "embedding",
  "metrics",
  "evaluation",
  "hallucination",
  "agent",
  "reranker",
  "guardrail",
] as const;

export type SpanType = (typeof SPAN_TYPES)[number];

/**
 * Each span type's Phoenix kind. Types without a kind of their own take the
 * nearest one (metrics → CHAIN, evaluation and hallucination → EVALUATOR);
 * the type itself stays on the span as a tag and in `metadata`.
 */
export const PHOENIX_KIND_OF_SPAN_TYPE: ReadonlyMap<SpanType, PhoenixSpanKind> = new Map<SpanType, PhoenixSpanKind>([
  ["llm", "LLM"],
  ["chain", "CHAIN"],
  ["tool", "TOOL"],
  ["retriever", "RETRIEVER"],
  ["embedding", "EMBEDDING"],
  ["metrics", "CHAIN"],
  ["evaluation", "EVALUATOR"],
  ["hallucination", "EVALUATOR"],
  ["agent", "AGENT"],
  ["reranker", "RERANKER"],
  ["guardrail", "GUARDRAIL"],
]);

/** A span type from user input (any case, surrounding blanks ignored), or a clear error listing the valid ones. */
export function parseSpanType(value: unknown): SpanType {
  const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  if (text !== undefined && PHOENIX_KIND_OF_SPAN_TYPE.has(text as SpanType)) return text as SpanType;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(typeof value);
  throw new PhoenixInputError(`spanType ${shown} is not a span type. Use one of: ${SPAN_TYPES.join(", ")}.`);
}
