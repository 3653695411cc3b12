/**
 * The contract between the delivery pipeline (src/exporter) and where spans
 * are stored: Phoenix over REST or OTLP (the exporter's sinks) or the local
 * store (src/store). It lives on the store's floor so that both sides import
 * it downwards.
 */

/**
 * A mapped span as the delivery pipeline holds it: Phoenix's JSON, written
 * once, as UTF-8 bytes. Holding the bytes rather than the object keeps the
 * memory a queued span takes equal to the bytes counted against the caps,
 * lets a retry, a split batch or the spool reuse it without serialising
 * again, and is what a REST body or a spool record is made of.
 *
 * Bytes rather than the JSON text because the spans of a hand-over are
 * written into one buffer outside the V8 heap, laid out as the REST bodies
 * they are sent in, and held as views of it
 * (src/exporter/delivery/rest-body.ts): text held until Phoenix answers
 * outlives the young generation, so every scavenge copied it and it waited
 * for a full collection; the peak heap with spans of their own was
 * 2.0–2.6 × lower once it did not (BENCHMARKS.md, "Heap").
 */
export interface EncodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** `JSON.stringify` of the Phoenix span, as UTF-8; often a view into a buffer shared with the spans encoded beside it. */
  readonly utf8: Buffer;
}

/** The span's JSON text (for the paths that need text: the local store, repair, the OTLP encoding). */
export function spanJson(span: EncodedSpan): string {
  return span.utf8.toString("utf8");
}

/** Why a span was refused for good. */
export type RejectionCause =
  /** Phoenix named the span invalid (400 `invalid_spans`, or a 422 isolated to it). */
  | "invalid"
  /** The span alone is larger than Phoenix (or a proxy) accepts (413). */
  | "too-large"
  /** Phoenix refused the request for a reason that is not about one span (e.g. an unknown project id). */
  | "refused";

/** A span refused for good, with Phoenix's reason. */
export interface RejectedSpan {
  traceId: string;
  spanId: string;
  reason: string;
  cause: RejectionCause;
}

/** Why `failed` spans were not delivered; each may pass, so the queue decides what to do with them. */
export type SinkFailure =
  /** Unreachable, timing out or overloaded after every retry. */
  | "unavailable"
  /** 401/403: a missing or wrong API key. */
  | "unauthorized"
  /** The write was cancelled (shutdown deadline). */
  | "aborted"
  /** The REST span route does not exist (Phoenix before 10.12): 404/405. */
  | "route-missing";

/** What became of one write's spans. Every span is counted exactly once. */
export interface SinkResult {
  /** Stored now. */
  delivered: number;
  /** Already stored before (a retry after a lost answer): counted as delivered. */
  duplicates: number;
  /** Refused for good; dropped and reported. */
  rejected: RejectedSpan[];
  /** Spans that were invalid through a fault of ours, repaired and then stored. */
  repaired?: number;
  /** Not delivered for a reason that may pass: the caller decides. */
  failed: EncodedSpan[];
  failure?: SinkFailure;
  /** Why `failed` is not empty. */
  error?: Error;
  /** Requests sent again after a transient failure. */
  retries?: number;
}

/**
 * Where mapped spans are written: Phoenix's REST route, OTLP, or the local
 * store. The delivery queue batches, bounds, schedules and spools; a sink
 * writes one batch of one project and says what became of each span.
 */
export interface SpanSink {
  /** For logs, e.g. `http://localhost:6006 (REST)`; never contains credentials. */
  readonly description: string;
  write(project: string, spans: readonly EncodedSpan[], timeoutMillis: number, signal?: AbortSignal): Promise<SinkResult>;
  shutdown(): Promise<void>;
}
