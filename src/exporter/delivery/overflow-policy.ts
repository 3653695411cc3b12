import type { Spool, SpoolLease } from "../spool/spool.js";
import type { DeliveryCounters, DropReason } from "./delivery-stats.js";
import { totalBytes, type EncodedSpan } from "./encoded-span.js";
import type { Ticket } from "./tickets.js";

/** Spans of one project on their way: one request's worth. */
export interface Batch {
  project: string;
  spans: EncodedSpan[];
  bytes: number;
  /** The submit call waiting for these spans; none for replayed spans. */
  ticket: Ticket | undefined;
  /** Set when the spans were read from the spool. */
  lease: SpoolLease | undefined;
  /** Written to the spool by `spillSync` while in flight: the answer no longer matters. */
  spilled?: boolean;
}

/**
 * What happens to spans that cannot be delivered now: the one place that
 * knows whether there is a spool. With one ({@link SpoolOverflow}) they go
 * to disk and are replayed later; without one ({@link MemoryOverflow}) they
 * wait in memory within the bounds, and past them are dropped, counted and
 * announced.
 */
export interface OverflowPolicy {
  /** The spool, for stats and log lines; undefined without one. */
  readonly spool: Spool | undefined;
  /** Spans that cannot stay in memory (bounds reached, shutdown gave up, refused for good): spool, or drop as `reason`. */
  setAside(batch: Batch, reason: DropReason): void;
  /** True: while Phoenix is down, new spans go straight to the spool rather than into memory. */
  readonly bypassMemoryWhileDown: boolean;
  /** Spans whose request was cut off in flight at shutdown (Phoenix may have stored them). */
  cutOff(batch: Batch): void;
  /** The oldest spooled spans to replay, or undefined. */
  takeReplay(maxSpans: number): Batch | undefined;
  /** Spans on disk waiting for a replay. */
  readonly replayPending: boolean;
  /** Where spans wait while Phoenix is down, for log lines. */
  describeWaiting(maxQueuedSpans: number): string;
}

export class SpoolOverflow implements OverflowPolicy {
  readonly bypassMemoryWhileDown = true;
  readonly spool: Spool;
  readonly #counters: DeliveryCounters;
  readonly #onTrouble: () => void;

  constructor(spool: Spool, counters: DeliveryCounters, onTrouble: () => void) {
    this.spool = spool;
    this.#counters = counters;
    this.#onTrouble = onTrouble;
  }

  setAside(batch: Batch): void {
    // Replayed spans are on disk already: they stay in their segment, unacknowledged.
    if (batch.lease) return;
    const result = this.spool.append(batch.project, batch.spans);
    this.#counters.spooled += result.written;
    if (result.reason) this.#counters.drop(result.reason, result.refused);
    batch.ticket?.undelivered(batch.spans.length);
    this.#onTrouble();
  }

  cutOff(batch: Batch): void {
    // A replay finds what Phoenix did store as duplicates.
    this.setAside(batch);
  }

  get replayPending(): boolean {
    return this.spool.spans > 0 || this.spool.bytes > 0;
  }

  takeReplay(maxSpans: number): Batch | undefined {
    if (!this.replayPending) return undefined;
    const lease = this.spool.take(maxSpans);
    if (!lease) return undefined;
    return { project: lease.project, spans: lease.spans, bytes: totalBytes(lease.spans), ticket: undefined, lease };
  }

  describeWaiting(): string {
    return `spans go to the spool in ${this.spool.directory}`;
  }
}

export class MemoryOverflow implements OverflowPolicy {
  readonly bypassMemoryWhileDown = false;
  readonly spool = undefined;
  readonly replayPending = false;
  readonly #counters: DeliveryCounters;
  readonly #onTrouble: () => void;

  constructor(counters: DeliveryCounters, onTrouble: () => void) {
    this.#counters = counters;
    this.#onTrouble = onTrouble;
  }

  setAside(batch: Batch, reason: DropReason): void {
    this.#counters.drop(reason, batch.spans.length);
    batch.ticket?.undelivered(batch.spans.length);
    this.#onTrouble();
  }

  cutOff(batch: Batch): void {
    this.#counters.cutOff(batch.spans.length);
    batch.ticket?.undelivered(batch.spans.length);
    this.#onTrouble();
  }

  takeReplay(): undefined {
    return undefined;
  }

  describeWaiting(maxQueuedSpans: number): string {
    return `up to ${maxQueuedSpans} spans wait in memory`;
  }
}
