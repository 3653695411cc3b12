import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "./readable-span.js";
import { copyAndScan } from "./attribute-scan.js";
import { copyAttributes, createAttributes } from "./attributes.js";
import { Found, type AttributeMapper } from "./conventions/convention.js";
import { mapGenAi } from "./conventions/genai.js";
import { mapLangsmith } from "./conventions/langsmith.js";
import { mapPlainOtel } from "./conventions/plain-otel.js";
import { mapTraceloop } from "./conventions/traceloop.js";
import { mapVercelAi } from "./conventions/vercel-ai.js";
import { normalizeSpanId, normalizeTraceId } from "./ids.js";
import { compileMapSpanOptions, type MapSpanOptions } from "./mapping-options.js";
import type { PhoenixSpan, PhoenixSpanEvent, PhoenixStatusCode } from "./phoenix-span.js";
import { decideKind, factsOf } from "./span-kind.js";
import { hrTimeToIso } from "./time.js";

export type { MapSpanOptions } from "./mapping-options.js";

/**
 * The attribute mappers, in precedence order: a key one of them derived is
 * not overwritten by a later one, and none overwrites an OpenInference
 * attribute the span already carried. Each runs only when the span has its
 * convention's keys (0 = always; it checks cheaply for itself).
 */
const MAPPERS: ReadonlyArray<readonly [number, AttributeMapper]> = [
  [Found.LANGSMITH, mapLangsmith],
  [Found.VERCEL_AI, mapVercelAi],
  [Found.GEN_AI, mapGenAi],
  [Found.TRACELOOP, mapTraceloop],
  [0, mapPlainOtel],
];

const STATUS: Readonly<Record<number, PhoenixStatusCode>> = {
  [SpanStatusCode.UNSET]: "UNSET",
  [SpanStatusCode.OK]: "OK",
  [SpanStatusCode.ERROR]: "ERROR",
};

const NO_OPTIONS: MapSpanOptions = {};

/**
 * An OpenTelemetry span → the Phoenix REST `Span` object, with its Phoenix
 * kind and OpenInference attributes derived from whichever convention
 * instrumented it (docs/mapping.md has the table and the precedence).
 *
 * Pure, and never throws on odd attribute values. Bad options throw a
 * PhoenixConfigurationError (validated once per options object).
 */
export function mapSpan(span: ReadableSpan, options: MapSpanOptions = NO_OPTIONS): PhoenixSpan {
  const mapping = compileMapSpanOptions(options);
  const context = span.spanContext();
  const attributes = createAttributes();
  const found = copyAndScan(span.attributes, attributes, mapping.keepSourceAttributes);
  const facts = factsOf(span, found);
  const kind = decideKind(span, facts, mapping);
  for (const [bit, mapper] of MAPPERS) {
    if (bit === 0 || found & bit) mapper(facts, kind, attributes);
  }
  return {
    name: facts.name,
    context: {
      trace_id: normalizeTraceId(context.traceId),
      span_id: normalizeSpanId(context.spanId),
    },
    span_kind: kind,
    parent_id: parentIdOf(span),
    start_time: hrTimeToIso(span.startTime),
    end_time: hrTimeToIso(span.endTime),
    status_code: STATUS[span.status?.code ?? SpanStatusCode.UNSET] ?? "UNSET",
    status_message: span.status?.message ?? "",
    attributes,
    events: span.events.map(mapEvent),
  };
}

/** OTel SDK 2.x exposes `parentSpanContext`; 1.x had `parentSpanId`. */
function parentIdOf(span: ReadableSpan): string | null {
  const parent = span.parentSpanContext?.spanId ?? (span as { parentSpanId?: string }).parentSpanId;
  return parent ? normalizeSpanId(parent) : null;
}

function mapEvent(event: ReadableSpan["events"][number]): PhoenixSpanEvent {
  return {
    name: event.name,
    timestamp: hrTimeToIso(event.time),
    attributes: copyAttributes(event.attributes),
  };
}
