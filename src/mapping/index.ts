export { mapSpan, type MapSpanOptions } from "./map-span.js";
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
