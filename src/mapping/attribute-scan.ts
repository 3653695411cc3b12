import type { Attributes } from "@opentelemetry/api";
import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import { toPhoenixValue } from "./attributes.js";
import { Found } from "./conventions/convention.js";
import { TRACELOOP_FUNCTIONS_PREFIX, TRACELOOP_LLM_KEYS } from "./conventions/traceloop.js";
import type { PhoenixAttributes } from "./phoenix-span.js";

/** The key belongs to a source convention (dropped when source attributes are not kept). */
const SOURCE = 1 << 29;
/** The key is not sent at all. */
const NOT_SENT = 1 << 30;

const SPAN_KIND_KEY = OI.OPENINFERENCE_SPAN_KIND;

/**
 * What one attribute key tells: which convention it belongs to, which
 * OpenInference list it is part of. Dispatches on the first character so
 * that most keys cost one comparison.
 */
function classify(key: string): number {
  switch (key.charCodeAt(0)) {
    case 0x67: // g
      if (!key.startsWith("gen_ai.")) return 0;
      return key.startsWith("gen_ai.prompt.") || key.startsWith("gen_ai.completion.")
        ? Found.GEN_AI | Found.GEN_AI_INDEXED | SOURCE
        : Found.GEN_AI | SOURCE;
    case 0x61: // a
      if (!key.startsWith("ai.")) return 0;
      return key.startsWith("ai.telemetry.metadata.") || key.startsWith("ai.settings.context.")
        ? Found.VERCEL_AI | Found.SOURCE_METADATA | SOURCE
        : Found.VERCEL_AI | SOURCE;
    case 0x74: // t
      if (!key.startsWith("traceloop.")) return 0;
      return key.startsWith("traceloop.association.properties.")
        ? Found.TRACELOOP | Found.SOURCE_METADATA | SOURCE
        : Found.TRACELOOP | SOURCE;
    case 0x6c: // l
      if (key.startsWith("llm.")) {
        if (key.startsWith("llm.input_messages.")) return Found.OI_INPUT_MESSAGES;
        if (key.startsWith("llm.output_messages.")) return Found.OI_OUTPUT_MESSAGES;
        if (key.startsWith("llm.tools.")) return Found.OI_TOOLS;
        if (TRACELOOP_LLM_KEYS.has(key)) return Found.TRACELOOP | SOURCE;
        if (key.startsWith(TRACELOOP_FUNCTIONS_PREFIX)) return Found.TRACELOOP | Found.TRACELOOP_FUNCTIONS | SOURCE;
        return 0;
      }
      if (!key.startsWith("langsmith.")) return 0;
      return key.startsWith("langsmith.metadata.") ? Found.LANGSMITH | Found.SOURCE_METADATA | SOURCE : Found.LANGSMITH | SOURCE;
    case 0x72: // r
      if (key.startsWith("retrieval.documents.")) return Found.OI_DOCUMENTS;
      if (key.startsWith("reranker.")) return Found.OI_RERANKER;
      return 0;
    case 0x65: // e
      return key.startsWith("embedding.embeddings.") ? Found.OI_EMBEDDINGS : 0;
    case 0x6f: // o
      // Phoenix takes the kind from `span_kind` and does not return it among the attributes.
      return key === SPAN_KIND_KEY ? NOT_SENT : 0;
    default:
      return 0;
  }
}

/**
 * The one pass over a span's attributes: copies every attribute Phoenix can
 * store into `out` (source-convention keys only when `keepSource`), and
 * returns the {@link Found} bits.
 */
export function copyAndScan(source: Attributes | undefined, out: PhoenixAttributes, keepSource: boolean): number {
  let found = 0;
  if (!source) return found;
  for (const key in source) {
    const bits = classify(key);
    found |= bits;
    if (bits & NOT_SENT || (!keepSource && bits & SOURCE)) continue;
    const value = source[key];
    // Strings and finite numbers, most values, are stored as they are: no call.
    if (typeof value === "string" || (typeof value === "number" && value - value === 0)) {
      out[key] = value;
      continue;
    }
    const converted = toPhoenixValue(value);
    if (converted !== undefined) out[key] = converted;
  }
  return found & ~(SOURCE | NOT_SENT);
}

/** The {@link Found} bits alone, for deciding a kind without mapping (the span filter). */
export function scanAttributes(source: Attributes | undefined): number {
  let found = 0;
  if (source) for (const key in source) found |= classify(key);
  return found & ~(SOURCE | NOT_SENT);
}
