import type { Attributes, SpanKind } from "@opentelemetry/api";
import type { TimedEvent } from "../readable-span.js";
import type { PhoenixAttributes, PhoenixSpanKind } from "../phoenix-span.js";

/** What a convention may look at: the span's own facts, never its children. */
export interface SpanFacts {
  readonly name: string;
  /** OpenTelemetry's SpanKind (CLIENT, INTERNAL…). */
  readonly otelKind: SpanKind;
  readonly scope: string;
  /** The span's own ids, as the SDK gave them (for the step memory). */
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly attributes: Attributes;
  readonly events: readonly TimedEvent[];
  /** {@link Found} bits from the one pass over the attributes. */
  readonly found: number;
}

/**
 * Bits set by the single pass over a span's attributes: which conventions
 * the span speaks, and which OpenInference lists it already carries, so that
 * no convention scans the attributes again to find out.
 */
export const Found = {
  GEN_AI: 1 << 0,
  VERCEL_AI: 1 << 1,
  TRACELOOP: 1 << 2,
  LANGSMITH: 1 << 3,
  /** gen_ai.prompt.N.* / gen_ai.completion.N.* (OpenLLMetry before 0.25). */
  GEN_AI_INDEXED: 1 << 4,
  /** llm.request.functions.N.* (OpenLLMetry before 0.25). */
  TRACELOOP_FUNCTIONS: 1 << 5,
  OI_INPUT_MESSAGES: 1 << 6,
  OI_OUTPUT_MESSAGES: 1 << 7,
  OI_TOOLS: 1 << 8,
  OI_DOCUMENTS: 1 << 9,
  OI_EMBEDDINGS: 1 << 10,
  OI_RERANKER: 1 << 11,
  /** ai.telemetry.metadata.*, ai.settings.context.*, langsmith.metadata.*, traceloop.association.properties.* */
  SOURCE_METADATA: 1 << 12,
} as const;

/** The span kind a convention reads from its own markers, or undefined when it has none. */
export type KindRule = (span: SpanFacts) => PhoenixSpanKind | undefined;

/**
 * Writes the OpenInference attributes a convention can derive, given the
 * span's resolved kind. Writes are "if absent" (see openinference-writer).
 */
export type AttributeMapper = (span: SpanFacts, kind: PhoenixSpanKind, out: PhoenixAttributes) => void;

/** Kinds whose spans are one model call: they carry model, provider and token counts. */
export function isModelCall(kind: PhoenixSpanKind): boolean {
  return kind === "LLM" || kind === "EMBEDDING";
}
