import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import { copyAttributes, createAttributes } from "./attributes.js";
import { normalizeSpanId, normalizeTraceId } from "./ids.js";
import {
  isPhoenixSpanKind,
  type PhoenixSpan,
  type PhoenixSpanEvent,
  type PhoenixSpanKind,
  type PhoenixStatusCode,
} from "./phoenix-span.js";
import { hrTimeToIso } from "./time.js";

export interface MapSpanOptions {
  /**
   * Kind of a span that no convention recognises. Default `UNKNOWN`, which is
   * what Phoenix's own OTLP ingest gives such spans.
   */
  defaultSpanKind?: PhoenixSpanKind;
}

const SPAN_KIND_KEY = SemanticConventions.OPENINFERENCE_SPAN_KIND;
// Phoenix takes the kind from `span_kind` and does not return it among the
// attributes (BEHAVIOUR.md), so it is not sent twice.
const NOT_COPIED: ReadonlySet<string> = new Set([SPAN_KIND_KEY]);

const STATUS: Readonly<Record<number, PhoenixStatusCode>> = {
  [SpanStatusCode.UNSET]: "UNSET",
  [SpanStatusCode.OK]: "OK",
  [SpanStatusCode.ERROR]: "ERROR",
};

/** An OpenTelemetry span → the Phoenix REST `Span` object. Pure; never throws on odd attribute values. */
export function mapSpan(span: ReadableSpan, options: MapSpanOptions = {}): PhoenixSpan {
  const context = span.spanContext();
  const attributes = copyAttributes(span.attributes, createAttributes(), NOT_COPIED);
  return {
    name: typeof span.name === "string" ? span.name : String(span.name),
    context: {
      trace_id: normalizeTraceId(context.traceId),
      span_id: normalizeSpanId(context.spanId),
    },
    span_kind: spanKindOf(span) ?? options.defaultSpanKind ?? "UNKNOWN",
    parent_id: parentIdOf(span),
    start_time: hrTimeToIso(span.startTime),
    end_time: hrTimeToIso(span.endTime),
    status_code: STATUS[span.status?.code ?? SpanStatusCode.UNSET] ?? "UNSET",
    status_message: span.status?.message ?? "",
    attributes,
    events: span.events.map(mapEvent),
  };
}

function spanKindOf(span: ReadableSpan): PhoenixSpanKind | undefined {
  const raw = span.attributes[SPAN_KIND_KEY];
  if (typeof raw !== "string") return undefined;
  const upper = raw.toUpperCase();
  return isPhoenixSpanKind(upper) ? upper : undefined;
}

/** OTel SDK 2.x exposes `parentSpanContext`; 1.x had `parentSpanId`. */
function parentIdOf(span: ReadableSpan): string | null {
  const parent =
    span.parentSpanContext?.spanId ?? (span as { parentSpanId?: string }).parentSpanId;
  return parent ? normalizeSpanId(parent) : null;
}

function mapEvent(event: ReadableSpan["events"][number]): PhoenixSpanEvent {
  return {
    name: event.name,
    timestamp: hrTimeToIso(event.time),
    attributes: copyAttributes(event.attributes),
  };
}
