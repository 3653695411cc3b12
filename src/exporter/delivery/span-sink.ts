import type { PhoenixSpan } from "../../mapping/phoenix-span.js";

/** A span Phoenix refused for good, with Phoenix's reason. */
export interface RejectedSpan {
  traceId: string;
  spanId: string;
  reason: string;
}

/** What became of one request's spans. Every span is counted exactly once. */
export interface SinkResult {
  /** Stored now. */
  delivered: number;
  /** Already stored before (a retry after a lost answer): counted as delivered. */
  duplicates: number;
  /** Refused for good; dropped and reported. */
  rejected: RejectedSpan[];
  /** Not delivered for a reason that may pass (outage, timeout, auth): the caller decides. */
  failed: PhoenixSpan[];
  /** Why `failed` is not empty. */
  error?: Error;
}

/**
 * Where mapped spans are written: Phoenix's REST route, OTLP, or the local
 * store. The delivery queue batches, bounds and schedules; a sink only
 * writes one batch of one project.
 */
export interface SpanSink {
  /** For logs, e.g. `http://localhost:6006 (REST)`; never contains credentials. */
  readonly description: string;
  write(project: string, spans: PhoenixSpan[], timeoutMillis: number): Promise<SinkResult>;
  shutdown(): Promise<void>;
}
