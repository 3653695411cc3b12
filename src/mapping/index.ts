export { mapSpan, type MapSpanOptions } from "./map-span.js";
export { compileMapSpanOptions } from "./mapping-options.js";
export type { SpanKindOverride, SpanKindRule, TextMatch } from "./span-kind-override.js";
export { SpanSelection, SPAN_FILTER_MEMORY, type SpanFilter } from "./span-filter.js";
export {
  PHOENIX_SPAN_KINDS,
  isPhoenixSpanKind,
  type PhoenixAttributeValue,
  type PhoenixAttributes,
  type PhoenixSpan,
  type PhoenixSpanContext,
  type PhoenixSpanEvent,
  type PhoenixSpanKind,
  type PhoenixStatusCode,
} from "./phoenix-span.js";
export { hrTimeToIso, epochMillisToIso } from "./time.js";
