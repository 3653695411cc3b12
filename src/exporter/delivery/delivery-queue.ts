import { diag } from "@opentelemetry/api";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import type { ReadableSpan } from "../../mapping/readable-span.js";
import type { DeliveryQueueOptions } from "./delivery-queue-options.js";
import type { DeliveryCounters } from "./delivery-stats.js";
import { totalBytes } from "./encoded-span.js";
import { Outage } from "./outage.js";
import { MemoryOverflow, SpoolOverflow, type Batch, type OverflowPolicy } from "./overflow-policy.js";
import type { EncodeSteps, HandedOver } from "./request-batches.js";
import { IncomingSpans } from "./incoming-spans.js";
import { SendWindow } from "./send-window.js";
import { DrainWaiters, type DrainDeadline } from "./drain-waiters.js";
import { reportRejected } from "./rejection-report.js";
import type { SinkResult } from "./span-sink.js";
import { Ticket, type SubmitOutcome } from "./tickets.js";

export type { SubmitOutcome } from "./tickets.js";
export type { DrainDeadline } from "./drain-waiters.js";
export type { DeliveryQueueOptions } from "./delivery-queue-options.js";

/**
 * Most time one event-loop turn spends mapping handed-over spans: a burst
 * of 50,000 spans is about 1 s of mapping, which in one turn would hold
 * every request the application serves for that second (bench/overload.ts).
 */
const PREPARE_TURN_MILLIS = 10;

/**
 * Takes finished spans, maps them outside the caller's stack, groups them by
 * project, cuts them into requests and keeps several in flight, within
 * bounds of memory, with an overflow policy (spool, or drop) past them:
 *
 * - Requests in flight follow Phoenix's answers (send-window.ts): more only
 *   while answers stay fast, fewer when Phoenix stalls or pushes back.
 * - Past `maxQueuedSpans` / `maxQueuedBytes` new batches are set aside
 *   (overflow-policy.ts).
 * - A request that fails after every retry means Phoenix is down (outage.ts):
 *   one paced probe at a time until it answers.
 * - The spool is replayed, oldest first, whenever memory has room and
 *   Phoenix answers, during a flush or shutdown too.
 * - Flush and shutdown wait while Phoenix makes progress, not for a fixed
 *   time: a large backlog takes as long as Phoenix's pace says.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #counters: DeliveryCounters;
  readonly #overflow: OverflowPolicy;
  readonly #outage: Outage;
  readonly #window: SendWindow;
  readonly #steps: EncodeSteps;
  readonly #abort = new AbortController();
  readonly #incoming: IncomingSpans;
  #ready: Batch[] = [];
  readonly #inFlight = new Set<Batch>();
  /** Spans and bytes in `#ready` and `#inFlight`. */
  #spans = 0;
  #bytes = 0;
  #scheduled = false;
  readonly #waiters = new DrainWaiters();

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
    this.#counters = options.counters;
    const onTrouble = () => options.onTrouble?.();
    this.#overflow = options.spool ? new SpoolOverflow(options.spool, options.counters, onTrouble) : new MemoryOverflow(options.counters, onTrouble);
    this.#outage = new Outage({
      clock: options.clock,
      probeBackoff: options.probeBackoff,
      sinkDescription: options.sink.description,
      waiting: this.#overflow.describeWaiting(options.maxQueuedSpans),
      spoolDirectory: options.spool?.directory,
    });
    this.#window = new SendWindow(options.concurrency, options.timeoutMillis);
    this.#steps = { ...options, maxRequestBytes: options.maxRequestBytes ?? Infinity };
    this.#incoming = new IncomingSpans(this.#steps, options.clock);
    // Spans left in the spool by an earlier process are replayed from the start.
    if (this.#overflow.replayPending) this.#schedule();
  }

  /** Queues spans; resolves true when all were delivered (or already stored), false when any was refused, dropped or spooled. */
  submit(spans: readonly ReadableSpan[]): Promise<boolean> {
    return this.#enqueue({ spans }).then((o) => o.rejected.length === 0 && o.undelivered === 0);
  }

  /**
   * Queues spans that are Phoenix spans already (an import), for `project`,
   * through the same bounds, retries, recovery and spool; resolves with what
   * became of each of them.
   */
  submitMapped(project: string, spans: readonly PhoenixSpan[]): Promise<SubmitOutcome> {
    return this.#enqueue({ spans, project });
  }

  /**
   * Queues spans without a promise of their outcome: the processor's path,
   * on the application's call to `onEnd`, where a `Ticket` and two promises
   * per batch were most of that call's cost (BENCHMARKS.md, hand-off).
   */
  handOver(spans: readonly ReadableSpan[]): void {
    if (spans.length === 0) return;
    this.#take({ spans }, undefined);
  }

  #enqueue(handed: HandedOver): Promise<SubmitOutcome> {
    return new Promise((resolve) => {
      const ticket = new Ticket(handed.spans.length, resolve);
      if (handed.spans.length === 0) return;
      this.#take(handed, ticket);
    });
  }

  #take(handed: HandedOver, ticket: Ticket | undefined): void {
    this.#counters.received += handed.spans.length;
    this.#incoming.push(handed, ticket);
    this.#schedule();
  }

  get queuedSpans(): number {
    return this.#spans;
  }

  get queuedBytes(): number {
    return this.#bytes;
  }

  get requestsInFlight(): number {
    return this.#inFlight.size;
  }

  /** True while Phoenix is unreachable after retries or refuses the credentials. */
  get degraded(): boolean {
    return this.#outage.active;
  }

  /** What is wrong right now, for the summary line; undefined when nothing. */
  describeDegradation(): string | undefined {
    return this.#outage.describe();
  }

  /**
   * Resolves true once nothing waits in memory, in flight or (while Phoenix
   * answers) in the spool; false when Phoenix acknowledged nothing for
   * `progressMillis`, or at the cap. The timer keeps the process alive while
   * a caller waits, which is the point of a flush.
   */
  drain(deadline: DrainDeadline): Promise<boolean> {
    if (this.#idle()) return Promise.resolve(true);
    return this.#waiters.wait(
      deadline,
      () => this.#outage.active,
      () => (this.#inFlight.size > 0 ? this.#window.timeoutMillis : 0),
    );
  }

  /** Waits while Phoenix makes progress for everything handed over; what still waits then goes to the spool (when there is one). */
  async flush(deadline: DrainDeadline): Promise<boolean> {
    const drained = await this.drain(deadline);
    if (!drained && this.#overflow.spool) {
      this.#prepare();
      this.#setAsideReady();
    }
    return drained;
  }

  /**
   * Delivers while Phoenix makes progress (or until the cap); then cancels
   * what is in flight and sets aside everything not delivered: spooled, or
   * dropped as `shutdown`, or — cut off in flight — counted as unknown.
   */
  async close(deadline: DrainDeadline): Promise<void> {
    // Phoenix is known to be down and there is a spool: waiting would only spend the deadline.
    const knownDown = this.#outage.active && this.#overflow.spool !== undefined;
    if (!knownDown && (await this.drain(deadline))) return;
    this.#prepare();
    for (const batch of this.#takeReady()) this.#overflow.setAside(batch, "shutdown");
    this.#abort.abort();
    // Cancelled requests answer at once; give them a moment to settle.
    if (await this.drain({ progressMillis: 1_000, capMillis: 1_000 })) return;
    for (const batch of [...this.#inFlight]) {
      batch.spilled = true;
      this.#inFlight.delete(batch);
      this.#release(batch);
      this.#overflow.cutOff(batch);
    }
    this.#notifyIdle();
  }

  /**
   * For a process `exit` handler, where nothing asynchronous runs: writes
   * every span still in memory (waiting or in flight) to the spool,
   * synchronously. Spans in flight may also have reached Phoenix; a replay
   * then finds them as duplicates. Without a spool, waiting spans are
   * dropped as `shutdown` and spans in flight counted as unknown, announced.
   * Returns the spans written to the spool.
   */
  spillSync(): number {
    this.#prepare();
    const before = this.#counters.spooled;
    for (const batch of this.#takeReady()) this.#overflow.setAside(batch, "shutdown");
    for (const batch of this.#inFlight) {
      if (batch.spilled) continue;
      batch.spilled = true;
      this.#overflow.cutOff(batch);
    }
    return this.#counters.spooled - before;
  }

  /** True while anything waits to be delivered (a flush would have work to do). */
  get pending(): boolean {
    return !this.#idle();
  }

  #idle(): boolean {
    const memoryIdle = this.#incoming.empty && this.#ready.length === 0 && this.#inFlight.size === 0 && !this.#scheduled;
    // Spooled spans count while Phoenix answers: a flush delivers them too.
    return memoryIdle && (!this.#overflow.replayPending || this.#outage.active || this.#abort.signal.aborted);
  }

  #notifyIdle(): void {
    if (!this.#idle()) return;
    this.#waiters.idle();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // The application's thread only pushed; mapping happens on a later turn.
    setImmediate(() => {
      this.#scheduled = false;
      this.#prepare(PREPARE_TURN_MILLIS);
      this.#pump();
      // What one turn did not map waits for the next, after the application's I/O.
      if (!this.#incoming.empty) this.#schedule();
    });
  }

  /**
   * Maps what came in and admits it, batch by batch, within the memory
   * bounds; within `budgetMillis` of this thread when given (at least one
   * hand-over per call), else all of it, as flush, shutdown and exit need.
   */
  #prepare(budgetMillis = Infinity): void {
    if (this.#incoming.empty) return;
    const started = Date.now();
    // Past the span bound, unmapped spans would be held without limit: map them all now (and set aside what does not fit).
    const budget = this.#incoming.spans > this.#options.maxQueuedSpans ? Infinity : budgetMillis;
    this.#incoming.mapWithin(budget, ({ batches, unsendable, ticket }) => {
      for (const span of unsendable) {
        diag.error(`phoenix-connector: ${span.message}`);
        this.#counters.drop(span.reason, 1);
        ticket?.undelivered(1);
        this.#options.onTrouble?.();
      }
      for (const batch of batches) this.#admit({ ...batch, ticket, lease: undefined });
    });
    // Mapping a large burst blocks this thread (about 1 s per 50,000 spans): that is our time, not
    // Phoenix's silence, so the progress clock of a waiting flush or shutdown does not count it.
    this.#waiters.credit(Date.now() - started);
  }

  /** Into memory while under the bounds (and, with a spool, while Phoenix answers); else set aside. */
  #admit(batch: Batch): void {
    const full = this.#spans >= this.#options.maxQueuedSpans || this.#bytes >= this.#options.maxQueuedBytes;
    if (full || (this.#outage.active && this.#overflow.bypassMemoryWhileDown)) {
      this.#overflow.setAside(batch, "queue-full");
      return;
    }
    this.#ready.push(batch);
    this.#hold(batch);
  }

  #hold(batch: Batch): void {
    this.#spans += batch.spans.length;
    this.#bytes += batch.bytes;
  }

  #release(batch: Batch): void {
    this.#spans -= batch.spans.length;
    this.#bytes -= batch.bytes;
  }

  #takeReady(): Batch[] {
    const ready = this.#ready;
    this.#ready = [];
    for (const batch of ready) this.#release(batch);
    return ready;
  }

  /** New spans waiting in memory go to the spool; replayed ones stay, they are on disk already. */
  #setAsideReady(): void {
    for (const batch of this.#takeReady()) {
      if (!batch.lease) {
        this.#overflow.setAside(batch, "queue-full");
        continue;
      }
      this.#ready.push(batch);
      this.#hold(batch);
    }
  }

  #pump(): void {
    while (!this.#outage.paused && this.#inFlight.size < this.#window.size && !this.#abort.signal.aborted) {
      const batch = this.#ready.shift() ?? this.#fromSpool();
      if (!batch) break;
      this.#inFlight.add(batch);
      void this.#send(batch);
    }
    this.#notifyIdle();
  }

  /** Replay: only when memory has room and nothing newer is waiting. */
  #fromSpool(): Batch | undefined {
    if (this.#spans >= this.#options.maxQueuedSpans || this.#bytes >= this.#options.maxQueuedBytes) return undefined;
    const batch = this.#overflow.takeReplay(this.#options.maxSpansPerRequest);
    if (batch) this.#hold(batch);
    return batch;
  }

  async #send(batch: Batch): Promise<void> {
    const clock = this.#options.clock;
    const sentAt = clock.now();
    const busyAt = clock.busyMillis?.() ?? 0;
    let result: SinkResult;
    try {
      result = await this.#options.sink.write(batch.project, batch.spans, this.#window.timeoutMillis, this.#abort.signal);
    } catch (error) {
      // A sink should not throw; if one does, its spans are kept as if Phoenix were down.
      result = { delivered: 0, duplicates: 0, rejected: [], failed: batch.spans, failure: "unavailable", error: error as Error };
    }
    if (batch.spilled) return;
    this.#inFlight.delete(batch);
    this.#release(batch);
    this.#settle(batch, result, clock.now() - sentAt, (clock.busyMillis?.() ?? 0) - busyAt);
    this.#pump();
  }

  #settle(batch: Batch, result: SinkResult, answerMillis: number, busyMillis: number): void {
    const retries = result.retries ?? 0;
    this.#counters.answered(result, batch.lease !== undefined);
    if (result.delivered + result.duplicates + result.rejected.length > 0) this.#waiters.progress();
    reportRejected(batch.project, result.rejected, this.#counters);
    batch.ticket?.stored(result.delivered, result.duplicates);
    batch.ticket?.rejected(result.rejected);
    if (retries > 0 || result.rejected.length > 0 || (result.repaired ?? 0) > 0) this.#options.onTrouble?.();

    if (result.failed.length === 0) {
      this.#outage.answered(this.#overflow.spool?.spans ?? 0);
      this.#window.answered(answerMillis, retries > 0, busyMillis);
      batch.lease?.ack();
      return;
    }
    const rest: Batch = { ...batch, spans: result.failed, bytes: totalBytes(result.failed) };
    const failure = result.failure ?? "unavailable";
    if (failure === "aborted") {
      // Shutdown cancelled it mid-request: Phoenix may have it.
      this.#overflow.cutOff(rest);
      return;
    }
    this.#window.collapse();
    this.#options.onTrouble?.();
    this.#outage.failed(failure, result.error, () => this.#pump());
    this.#waiters.check();
    if (batch.lease) {
      // Replayed spans are on disk already: they keep their place, unacknowledged, and are the next probe.
      this.#ready.unshift(rest);
      this.#hold(rest);
      return;
    }
    if (failure !== "unavailable") {
      this.#overflow.setAside(rest, failure === "unauthorized" ? "unauthorized" : "refused");
    } else if (this.#overflow.bypassMemoryWhileDown) {
      this.#overflow.setAside(rest, "queue-full");
      this.#setAsideReady();
    } else {
      // No spool: the spans wait at the front, within the memory bounds, for Phoenix to come back.
      this.#ready.unshift(rest);
      this.#hold(rest);
    }
  }
}
