import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { spanJson, type EncodedSpan } from "../../store/span-sink.js";

// Declared with the sink contract (src/store/span-sink.ts), which the local store implements too.
export type { EncodedSpan };

/**
 * Largest buffer the spans of one hand-over share. A buffer is freed only
 * once every span in it has been answered, so the memory held beyond the
 * spans still queued is at most about this much per buffer with a straggler
 * in it; a span larger than this gets a buffer of its own.
 */
export const SHARED_BUFFER_BYTES = 1024 * 1024;

/** A span's JSON text and its UTF-8 length, before it is written into a buffer with the others of its hand-over. */
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

/**
 * Writes the texts, in order, into buffers of at most
 * {@link SHARED_BUFFER_BYTES} (one per span beyond that), each span a view
 * of its buffer. One allocation outside the V8 heap per buffer instead of
 * one per span: a buffer of its own for every span cost 20–25 % more CPU
 * (BENCHMARKS.md, proposal 2), the text kept on the heap a scavenge copy
 * per span in flight.
 */
export function encodeTexts(texts: readonly SpanText[]): EncodedSpan[] {
  const encoded: EncodedSpan[] = new Array(texts.length);
  let from = 0;
  while (from < texts.length) {
    let to = from;
    let size = 0;
    while (to < texts.length && (to === from || size + texts[to]!.bytes <= SHARED_BUFFER_BYTES)) size += texts[to++]!.bytes;
    // Under 4 KiB this comes from Node's shared pool, above it is a buffer of its own.
    const shared = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = from; i < to; i++) {
      const text = texts[i]!;
      const written = shared.write(text.json, at, "utf8");
      encoded[i] = { traceId: text.traceId, spanId: text.spanId, utf8: shared.subarray(at, at + written) };
      at += written;
    }
    from = to;
  }
  return encoded;
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
