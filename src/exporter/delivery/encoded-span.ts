import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { spanJson, type EncodedSpan } from "../../store/span-sink.js";

// Declared with the sink contract (src/store/span-sink.ts), which the local store implements too.
export type { EncodedSpan };

/** A span's JSON text and its UTF-8 length, before it is written into a buffer with the others of its hand-over (rest-body.ts). */
export interface SpanText {
  readonly traceId: string;
  readonly spanId: string;
  readonly json: string;
  readonly bytes: number;
}

export function spanText(span: PhoenixSpan): SpanText {
  const json = JSON.stringify(span);
  return { traceId: span.context.trace_id, spanId: span.context.span_id, json, bytes: Buffer.byteLength(json) };
}

/** One span in a buffer of its own (a repaired span). */
export function encodeSpan(span: PhoenixSpan): EncodedSpan {
  return { traceId: span.context.trace_id, spanId: span.context.span_id, utf8: Buffer.from(JSON.stringify(span), "utf8") };
}

export function decodeSpan(span: EncodedSpan): PhoenixSpan {
  return JSON.parse(spanJson(span)) as PhoenixSpan;
}

export function totalBytes(spans: readonly EncodedSpan[]): number {
  let bytes = 0;
  for (const span of spans) bytes += span.utf8.byteLength;
  return bytes;
}
