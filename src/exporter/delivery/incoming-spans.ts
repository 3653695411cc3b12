import type { Clock } from "../../http/clock.js";
import { encodeRequests, type EncodeSteps, type HandedOver, type RequestBatch, type UnsendableSpan } from "./request-batches.js";
import type { Ticket } from "./tickets.js";

/** What one hand-over became once mapped, and the ticket (if any) waiting for its outcome. */
export interface MappedHandOver {
  batches: RequestBatch[];
  unsendable: UnsendableSpan[];
  ticket: Ticket | undefined;
}

/**
 * Spans handed over and not mapped yet. The application's thread only pushes
 * here; the queue maps them on later turns, oldest first, a bounded time per
 * turn, so that mapping a burst does not hold the application's loop.
 */
export class IncomingSpans {
  #entries: Array<{ handed: HandedOver; ticket: Ticket | undefined }> = [];
  #spans = 0;
  readonly #steps: EncodeSteps;
  readonly #clock: Clock;

  constructor(steps: EncodeSteps, clock: Clock) {
    this.#steps = steps;
    this.#clock = clock;
  }

  /** Spans waiting to be mapped (the memory bound counts them too). */
  get spans(): number {
    return this.#spans;
  }

  get empty(): boolean {
    return this.#entries.length === 0;
  }

  push(handed: HandedOver, ticket: Ticket | undefined): void {
    this.#entries.push({ handed, ticket });
    this.#spans += handed.spans.length;
  }

  /**
   * Maps hand-overs, oldest first, giving each to `take`: at least one, and
   * then until `budgetMillis` of the clock has passed (`Infinity`: all).
   */
  mapWithin(budgetMillis: number, take: (mapped: MappedHandOver) => void): void {
    const entries = this.#entries;
    const started = this.#clock.now();
    let taken = 0;
    while (taken < entries.length) {
      const { handed, ticket } = entries[taken++]!;
      this.#spans -= handed.spans.length;
      take({ ...encodeRequests(handed, this.#steps), ticket });
      if (this.#clock.now() - started >= budgetMillis) break;
    }
    this.#entries = taken === entries.length ? [] : entries.slice(taken);
  }
}
