import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { EncodedSpan } from "../../store/span-sink.js";

// Declared with the sink contract (src/store/span-sink.ts), which the local store implements too.
export type { EncodedSpan };

export function encodeSpan(span: PhoenixSpan): EncodedSpan {
  const json = JSON.stringify(span);
  return { traceId: span.context.trace_id, spanId: span.context.span_id, json, bytes: Buffer.byteLength(json) };
}

/** An encoded span from its JSON (a spool record, a repaired span). */
export function encodedFromJson(json: string): EncodedSpan {
  const context = (JSON.parse(json) as { context?: { trace_id?: unknown; span_id?: unknown } }).context ?? {};
  return { traceId: String(context.trace_id ?? ""), spanId: String(context.span_id ?? ""), json, bytes: Buffer.byteLength(json) };
}

export function decodeSpan(span: EncodedSpan): PhoenixSpan {
  return JSON.parse(span.json) as PhoenixSpan;
}

export function totalBytes(spans: readonly EncodedSpan[]): number {
  let bytes = 0;
  for (const span of spans) bytes += span.bytes;
  return bytes;
}
