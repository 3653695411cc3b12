import type { EncodedSpan, SpanText } from "./encoded-span.js";

/**
 * Largest buffer the requests of one hand-over share. A buffer is freed only
 * once every span in it has been answered, so the memory held beyond the
 * spans still queued is at most about this much per buffer with a straggler
 * in it; a request larger than this gets a buffer of its own.
 */
export const SHARED_BUFFER_BYTES = 1024 * 1024;

const BODY_START = Buffer.from('{"data":[');
const BODY_END = Buffer.from("]}");
const COMMA = 0x2c;

/** The buffers {@link layOutRequests} wrote, whose bytes nothing else writes or changes. */
const laidOut = new WeakSet<ArrayBufferLike>();

/**
 * Writes each request's spans, in order, as the REST body it will be sent
 * in (`{"data":[span,span,…]}`), consecutive requests sharing a buffer of at
 * most {@link SHARED_BUFFER_BYTES} outside the V8 heap; each span is a view
 * of its bytes there. Sending such a request is then a view of the buffer,
 * not a copy: a copy per request doubled the bytes allocated outside the
 * heap and with them the full collections V8 starts for such memory (27
 * against 15 in an oi-chat run, up to 30 % more CPU; BENCHMARKS.md, "Heap").
 * Text kept on the heap instead was copied by every scavenge while its
 * request was out.
 */
export function layOutRequests(requests: readonly (readonly SpanText[])[]): EncodedSpan[][] {
  const sizes = requests.map(bodyBytes);
  const encoded: EncodedSpan[][] = new Array(requests.length);
  let from = 0;
  while (from < requests.length) {
    let to = from;
    let size = 0;
    while (to < requests.length && (to === from || size + sizes[to]! <= SHARED_BUFFER_BYTES)) size += sizes[to++]!;
    // Slow: never Node's shared pool, so that the whole buffer is ours (see laidOutBody).
    const shared = Buffer.allocUnsafeSlow(size);
    laidOut.add(shared.buffer);
    let at = 0;
    for (let r = from; r < to; r++) {
      const texts = requests[r]!;
      const spans: EncodedSpan[] = new Array(texts.length);
      at += BODY_START.copy(shared, at);
      for (let i = 0; i < texts.length; i++) {
        if (i > 0) shared[at++] = COMMA;
        const text = texts[i]!;
        const written = shared.write(text.json, at, "utf8");
        spans[i] = { traceId: text.traceId, spanId: text.spanId, utf8: shared.subarray(at, at + written) };
        at += written;
      }
      at += BODY_END.copy(shared, at);
      encoded[r] = spans;
    }
    from = to;
  }
  return encoded;
}

/**
 * `{"data":[span,span,…]}`: a view of the buffer when the spans are a
 * request as {@link layOutRequests} wrote it (the first send and its retries),
 * otherwise assembled from the spans' bytes (a split or re-formed batch, a
 * repaired span, spans read back from the spool).
 */
export function restBody(spans: readonly EncodedSpan[]): Buffer {
  return laidOutBody(spans) ?? assembledBody(spans);
}

function bodyBytes(texts: readonly SpanText[]): number {
  let bytes = BODY_START.length + BODY_END.length + Math.max(0, texts.length - 1);
  for (let i = 0; i < texts.length; i++) bytes += texts[i]!.bytes;
  return bytes;
}

/** The request's bytes in a laid-out buffer, checked byte for byte outside the spans; undefined when the spans are not one laid-out request. */
function laidOutBody(spans: readonly EncodedSpan[]): Buffer | undefined {
  const first = spans[0]?.utf8;
  if (!first || !laidOut.has(first.buffer)) return undefined;
  const start = first.byteOffset - BODY_START.length;
  if (start < 0) return undefined;
  let end = first.byteOffset + first.byteLength;
  for (let i = 1; i < spans.length; i++) {
    const utf8 = spans[i]!.utf8;
    if (utf8.buffer !== first.buffer || utf8.byteOffset !== end + 1) return undefined;
    end = utf8.byteOffset + utf8.byteLength;
  }
  if (end + BODY_END.length > first.buffer.byteLength) return undefined;
  const body = Buffer.from(first.buffer, start, end + BODY_END.length - start);
  if (!body.subarray(0, BODY_START.length).equals(BODY_START) || !body.subarray(body.length - BODY_END.length).equals(BODY_END)) return undefined;
  for (let i = 1; i < spans.length; i++) if (body[spans[i]!.utf8.byteOffset - 1 - start] !== COMMA) return undefined;
  return body;
}

/** One allocation and a copy of each span's bytes. */
function assembledBody(spans: readonly EncodedSpan[]): Buffer {
  let length = BODY_START.length + BODY_END.length + Math.max(0, spans.length - 1);
  for (let i = 0; i < spans.length; i++) length += spans[i]!.utf8.byteLength;
  const body = Buffer.allocUnsafe(length);
  body.set(BODY_START, 0);
  let at = BODY_START.length;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) body[at++] = COMMA;
    const utf8 = spans[i]!.utf8;
    body.set(utf8, at);
    at += utf8.byteLength;
  }
  body.set(BODY_END, at);
  return body;
}
