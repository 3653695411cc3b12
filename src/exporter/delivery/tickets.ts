import type { RejectedSpan } from "./span-sink.js";

/** What became of the spans of one `submit` / `submitMapped` call; every span is counted once. */
export interface SubmitOutcome {
  /** Stored now. */
  delivered: number;
  /** Already stored (a retry after a lost answer, or an import run twice). */
  duplicates: number;
  /** Refused for good, each with the reason. */
  rejected: RejectedSpan[];
  /** Not delivered within this process: spooled for later, dropped, or cut off in flight (see `stats()`). */
  undelivered: number;
}

/**
 * The promise of one submit call: settled once each of its spans has an
 * outcome, whichever batch, retry or spool it went through.
 */
export class Ticket {
  readonly outcome: SubmitOutcome = { delivered: 0, duplicates: 0, rejected: [], undelivered: 0 };
  #outstanding: number;
  readonly #done: (outcome: SubmitOutcome) => void;

  constructor(spans: number, done: (outcome: SubmitOutcome) => void) {
    this.#outstanding = spans;
    this.#done = done;
    if (spans === 0) done(this.outcome);
  }

  stored(delivered: number, duplicates: number): void {
    this.outcome.delivered += delivered;
    this.outcome.duplicates += duplicates;
    this.#countDown(delivered + duplicates);
  }

  rejected(spans: readonly RejectedSpan[]): void {
    this.outcome.rejected.push(...spans);
    this.#countDown(spans.length);
  }

  undelivered(count: number): void {
    this.outcome.undelivered += count;
    this.#countDown(count);
  }

  #countDown(count: number): void {
    if (count === 0 || this.#outstanding <= 0) return;
    this.#outstanding -= count;
    if (this.#outstanding <= 0) this.#done(this.outcome);
  }
}
