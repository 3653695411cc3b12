import type { PhoenixSpan } from "../../mapping/phoenix-span.js";

/**
 * A mapped span as the delivery pipeline holds it: Phoenix's JSON, written
 * once. Holding the text rather than the object keeps the memory a queued
 * span takes equal to the bytes counted against the caps, lets a retry, a
 * split batch or the spool reuse it without serialising again, and is what
 * a REST body or a spool record is made of.
 */
export interface EncodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** `JSON.stringify` of the Phoenix span. */
  readonly json: string;
  /** UTF-8 length of `json`. */
  readonly bytes: number;
}

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
