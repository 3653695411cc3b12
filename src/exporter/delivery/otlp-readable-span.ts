import { SpanKind, SpanStatusCode, TraceFlags, type HrTime, type SpanContext } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SEMRESATTRS_PROJECT_NAME, SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";

const STATUS: ReadonlyMap<string, SpanStatusCode> = new Map([
  ["UNSET", SpanStatusCode.UNSET],
  ["OK", SpanStatusCode.OK],
  ["ERROR", SpanStatusCode.ERROR],
]);

const SCOPE = { name: "phoenix-connector" };

/**
 * The resource of a project's spans: Phoenix's OTLP ingest reads the project
 * from `openinference.project.name`. Only the fields the OTLP serializer reads.
 */
export function projectResource(project: string): ReadableSpan["resource"] {
  return { attributes: { [SEMRESATTRS_PROJECT_NAME]: project } } as unknown as ReadableSpan["resource"];
}

/**
 * A mapped Phoenix span as the `ReadableSpan` that `@opentelemetry/otlp-transformer`
 * serialises, so that the OTLP path carries what the mapping made of the span:
 * the OpenInference kind goes back in as `openinference.span.kind` (Phoenix's
 * OTLP ingest reads it there), the project as the resource attribute.
 */
export function toReadableSpan(span: PhoenixSpan, resource: ReadableSpan["resource"]): ReadableSpan {
  const context: SpanContext = { traceId: span.context.trace_id, spanId: span.context.span_id, traceFlags: TraceFlags.SAMPLED };
  const startTime = isoToHrTime(span.start_time);
  const endTime = isoToHrTime(span.end_time);
  const readable = {
    name: span.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => context,
    parentSpanContext: span.parent_id
      ? { traceId: span.context.trace_id, spanId: span.parent_id, traceFlags: TraceFlags.SAMPLED }
      : undefined,
    startTime,
    endTime,
    duration: subtract(endTime, startTime),
    ended: true,
    status: { code: STATUS.get(span.status_code) ?? SpanStatusCode.UNSET, ...(span.status_message ? { message: span.status_message } : {}) },
    attributes: { ...span.attributes, [SemanticConventions.OPENINFERENCE_SPAN_KIND]: span.span_kind },
    links: [],
    events: (span.events ?? []).map((event) => ({ name: event.name, time: isoToHrTime(event.timestamp), attributes: event.attributes })),
    resource,
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  return readable as ReadableSpan;
}

const FRACTION = /\.(\d+)/;

/** `2026-01-01T12:00:00.123456Z` (any zone) → [seconds, nanoseconds], without losing the microseconds `Date` would drop. */
export function isoToHrTime(iso: string): HrTime {
  const fraction = FRACTION.exec(iso)?.[1] ?? "";
  const millis = Date.parse(iso.replace(FRACTION, ""));
  if (Number.isNaN(millis)) return [0, 0];
  const seconds = Math.floor(millis / 1000);
  const nanos = Number(fraction.padEnd(9, "0").slice(0, 9));
  return [seconds, nanos];
}

function subtract(end: HrTime, start: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return seconds < 0 ? [0, 0] : [seconds, nanos];
}
