import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import type { ReadableSpan } from "./readable-span.js";
import { scanAttributes } from "./attribute-scan.js";
import { Found, type KindRule, type SpanFacts } from "./conventions/convention.js";
import { genAiModelKind, genAiOperationKind } from "./conventions/genai.js";
import { langsmithKind } from "./conventions/langsmith.js";
import { modelApiKind, vectorDbKind } from "./conventions/plain-otel.js";
import { traceloopKind } from "./conventions/traceloop.js";
import { vercelAiKind } from "./conventions/vercel-ai.js";
import type { CompiledMapping } from "./mapping-options.js";
import { isPhoenixSpanKind, type PhoenixSpanKind } from "./phoenix-span.js";

/**
 * The precedence of kinds, most explicit marker first. Each rule runs only
 * when the span has its convention's keys (its bit in `found`; 0 = always).
 *
 * 1. LangSmith's run type, before `gen_ai.operation.name`, which LangSmith
 *    derives from it with losses.
 * 2. The Vercel AI SDK's operation id (its provider spans also carry gen_ai.*).
 * 3. `gen_ai.operation.name`, when it names a known operation (AI SDK 7
 *    writes it on every span, and `ai.*` keys beside it).
 * 4. OpenLLMetry's `traceloop.span.kind`, then its `llm.request.type`
 *    (after 3: its LangChain tool spans say `task` and `execute_tool`).
 * 5. A GenAI guardrail, or a model named in gen_ai.* (deprecated producers).
 * 6. A vector-database client span.
 * 7. An HTTP client span to a well-known model API host.
 */
const KIND_RULES: ReadonlyArray<readonly [number, KindRule]> = [
  [Found.LANGSMITH, langsmithKind],
  [Found.VERCEL_AI, vercelAiKind],
  [Found.GEN_AI, genAiOperationKind],
  [Found.TRACELOOP, traceloopKind],
  [Found.GEN_AI, genAiModelKind],
  [0, vectorDbKind],
  [0, modelApiKind],
];

/** `openinference.span.kind` as written on the span (any case), when it is a Phoenix kind. */
export function openInferenceKind(span: ReadableSpan): PhoenixSpanKind | undefined {
  const raw = span.attributes[OI.OPENINFERENCE_SPAN_KIND];
  if (typeof raw !== "string") return undefined;
  const upper = raw.toUpperCase();
  return isPhoenixSpanKind(upper) ? upper : undefined;
}

/** The kind from the source conventions alone, or undefined. */
export function conventionKind(facts: SpanFacts): PhoenixSpanKind | undefined {
  for (const [bit, rule] of KIND_RULES) {
    if (bit !== 0 && !(facts.found & bit)) continue;
    const kind = rule(facts);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/**
 * The span's Phoenix kind: your override, else an `openinference.span.kind`
 * on the span (never overwritten by a derived kind), else the conventions,
 * else `defaultSpanKind`.
 */
export function decideKind(span: ReadableSpan, facts: SpanFacts, mapping: CompiledMapping): PhoenixSpanKind {
  const base = openInferenceKind(span) ?? conventionKind(facts) ?? mapping.defaultSpanKind;
  return mapping.spanKind?.(span, base) ?? base;
}

export function factsOf(span: ReadableSpan, found: number): SpanFacts {
  const context = span.spanContext();
  return {
    name: typeof span.name === "string" ? span.name : String(span.name),
    otelKind: span.kind,
    scope: span.instrumentationScope?.name ?? "",
    traceId: String(context?.traceId ?? ""),
    spanId: String(context?.spanId ?? ""),
    // OTel SDK 2.x and 3.x expose `parentSpanContext`; 1.x had `parentSpanId`.
    parentSpanId: span.parentSpanContext?.spanId ?? (span as { parentSpanId?: string }).parentSpanId,
    attributes: span.attributes,
    events: span.events ?? [],
    found,
  };
}

/** The kind `mapSpan` would give the span, without mapping it (used by the span filter). */
export function resolveSpanKind(span: ReadableSpan, mapping: CompiledMapping): PhoenixSpanKind {
  return decideKind(span, factsOf(span, scanAttributes(span.attributes)), mapping);
}
