import { PhoenixConfigurationError } from "../errors.js";
import { PHOENIX_SPAN_KINDS, isPhoenixSpanKind, type PhoenixSpanKind } from "./phoenix-span.js";
import { compileSpanKindOverride, type CompiledOverride, type SpanKindOverride } from "./span-kind-override.js";

export interface MapSpanOptions {
  /**
   * Kind of a span that no convention recognises. Default `UNKNOWN`, which is
   * what Phoenix's own OTLP ingest gives such spans.
   */
  defaultSpanKind?: PhoenixSpanKind;
  /**
   * Keep the source convention's attributes (`gen_ai.*`, `ai.*`,
   * `traceloop.*`, `langsmith.*`, OpenLLMetry's `llm.request.*`) beside the
   * OpenInference ones derived from them. Default true. False halves the
   * size of a typical GenAI span, but whatever the mapping does not
   * translate is then lost.
   */
  keepSourceAttributes?: boolean;
  /** Replace the derived kind: a function, or rules by span name, scope or attribute. */
  spanKind?: SpanKindOverride;
}

/** Options validated once, in the form the hot path reads. */
export interface CompiledMapping {
  readonly defaultSpanKind: PhoenixSpanKind;
  readonly keepSourceAttributes: boolean;
  readonly spanKind: CompiledOverride | undefined;
}

const cache = new WeakMap<object, CompiledMapping>();

/**
 * Validates mapping options (bad ones throw a PhoenixConfigurationError)
 * and compiles them. Cached per options object, so `mapSpan(span, options)`
 * with the same object validates once.
 */
export function compileMapSpanOptions(options: MapSpanOptions = {}): CompiledMapping {
  const cached = cache.get(options);
  if (cached) return cached;
  if (typeof options !== "object" || options === null) throw new PhoenixConfigurationError("The mapping options must be an object.");
  if (options.defaultSpanKind !== undefined && !isPhoenixSpanKind(options.defaultSpanKind)) {
    throw new PhoenixConfigurationError(
      `The defaultSpanKind option must be one of ${PHOENIX_SPAN_KINDS.join(", ")}; got ${JSON.stringify(options.defaultSpanKind)}.`,
    );
  }
  if (options.keepSourceAttributes !== undefined && typeof options.keepSourceAttributes !== "boolean") {
    throw new PhoenixConfigurationError(`The keepSourceAttributes option must be true or false; got ${JSON.stringify(options.keepSourceAttributes)}.`);
  }
  const compiled: CompiledMapping = {
    defaultSpanKind: options.defaultSpanKind ?? "UNKNOWN",
    keepSourceAttributes: options.keepSourceAttributes ?? true,
    spanKind: compileSpanKindOverride(options.spanKind),
  };
  cache.set(options, compiled);
  return compiled;
}
