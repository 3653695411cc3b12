import { diag } from "@opentelemetry/api";
import type { ReadableSpan } from "../../mapping/readable-span.js";
import type { PhoenixSpan } from "../../mapping/phoenix-span.js";
import { REQUEST_ENVELOPE_BYTES } from "../../privacy/limits.js";
import { SpanTooLargeError } from "../../privacy/span-size.js";
import type { Spool, SpoolLease } from "../spool/spool.js";
import type { Clock } from "../../http/clock.js";
import type { DeliveryCounters, DropReason } from "./delivery-stats.js";
import { encodeSpan, totalBytes, type EncodedSpan } from "./encoded-span.js";
import type { RejectedSpan, SinkResult, SpanSink } from "./span-sink.js";

export interface DeliveryQueueOptions {
  sink: SpanSink;
  /** ReadableSpan → Phoenix span; runs off the application's call path. */
  map: (span: ReadableSpan) => PhoenixSpan;
  /**
   * The last step before a span is encoded, for every span whatever its
   * entry point (mapped here or handed over already mapped, as by an
   * import): masking and size limits belong here. Default: none.
   */
  prepare?: (span: PhoenixSpan) => PhoenixSpan;
  /** The project a span goes to. */
  projectOf: (span: ReadableSpan) => string;
  /** Spans per request. */
  maxSpansPerRequest: number;
  /**
   * Most bytes of one request body (the spans' JSON and the envelope):
   * requests are cut to stay under it, and a span that cannot fit alone is
   * dropped and counted as `too-large`. Default: no cap.
   */
  maxRequestBytes?: number;
  /** Most requests in flight at once. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMillis: number;
  /** Mapped spans held in memory (waiting or in flight); past it they go to the spool, or are dropped. */
  maxQueuedSpans: number;
  /** The same bound in bytes of span JSON. */
  maxQueuedBytes: number;
  spool: Spool | undefined;
  counters: DeliveryCounters;
  /** Paces the probes while Phoenix is down (injected in tests). */
  clock: Clock;
  /** Pause between probes while Phoenix is down or refuses the key: full jitter, doubling from `initialMillis` to `maxMillis`. */
  probeBackoff: { initialMillis: number; maxMillis: number };
  /** Told whenever something goes wrong (retry, refusal, drop, spool, outage), for the periodic summary. */
  onTrouble?: () => void;
}

/** What became of the spans of one `submit` / `submitMapped` call; every span is counted once. */
export interface SubmitOutcome {
  /** Stored now. */
  delivered: number;
  /** Already stored (a retry after a lost answer, or an import run twice). */
  duplicates: number;
  /** Refused for good, each with the reason. */
  rejected: RejectedSpan[];
  /** Not delivered within this process: spooled for later, or dropped (see `stats()`). */
  undelivered: number;
}

interface Ticket {
  outstanding: number;
  outcome: SubmitOutcome;
  done: (outcome: SubmitOutcome) => void;
}

type Incoming =
  | { spans: readonly ReadableSpan[]; project?: undefined; ticket: Ticket }
  | { spans: readonly PhoenixSpan[]; project: string; ticket: Ticket };

interface Batch {
  project: string;
  spans: EncodedSpan[];
  bytes: number;
  /** The `submit` call waiting for these spans; none for replayed spans. */
  ticket: Ticket | undefined;
  /** Set when the spans were read from the spool. */
  lease: SpoolLease | undefined;
  /** Written to the spool by `spillSync` while in flight: the answer no longer matters. */
  spilled?: boolean;
}

/** Why only one request at a time, paced, goes out: Phoenix is down, refuses the key, or lacks the route. */
type Degradation = "unavailable" | "unauthorized" | "route-missing";

const DEGRADATION_SUMMARY: ReadonlyMap<Degradation, (since: string) => string> = new Map([
  ["unavailable", (since: string) => `Phoenix unreachable since ${since}`],
  ["unauthorized", (since: string) => `Phoenix refuses the API key since ${since}`],
  ["route-missing", (since: string) => `Phoenix has no REST span route (since ${since})`],
]);

/**
 * Takes finished spans, maps them outside the caller's stack, groups them by
 * project, cuts them into requests and keeps several in flight, within
 * bounds of memory, with the spool as the overflow:
 *
 * - Up to `concurrency` requests at once. The window halves when Phoenix
 *   pushes back (a request needed retries: 503/429, timeouts) and grows by
 *   one per clean answer, so Phoenix's own slowness is back-pressure.
 * - Past `maxQueuedSpans` / `maxQueuedBytes` new batches go to the spool,
 *   or are dropped (`queue-full`) without one.
 * - A request that fails after every retry means Phoenix is down: its spans
 *   and everything waiting go to the spool (or wait in memory without one),
 *   and one request at a time, paced by a growing pause, probes until Phoenix
 *   answers. A 401/403 is paced the same way.
 * - The spool is replayed, oldest first, whenever memory has nothing waiting
 *   and Phoenix answers: after an outage and when a process starts with
 *   spans left by an earlier one.
 */
export class DeliveryQueue {
  readonly #options: DeliveryQueueOptions;
  readonly #counters: DeliveryCounters;
  readonly #abort = new AbortController();
  #incoming: Incoming[] = [];
  #ready: Batch[] = [];
  readonly #inFlight = new Set<Batch>();
  /** Spans and bytes in `#ready` and `#inFlight`. */
  #spans = 0;
  #bytes = 0;
  #window: number;
  #paused = false;
  #probeCeiling: number;
  #degradation: Degradation | undefined;
  #degradedSince = 0;
  #scheduled = false;
  /** Shutting down: nothing more is read from the spool. */
  #closing = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DeliveryQueueOptions) {
    this.#options = options;
    this.#counters = options.counters;
    this.#window = options.concurrency;
    this.#probeCeiling = options.probeBackoff.initialMillis;
    // Spans left in the spool by an earlier process are replayed from the start.
    if (options.spool && options.spool.spans > 0) this.#schedule();
  }

  /** Queues spans; resolves true when all were delivered (or already stored), false when any was refused, dropped or spooled. */
  submit(spans: readonly ReadableSpan[]): Promise<boolean> {
    return this.#enqueue(spans, undefined).then((o) => o.rejected.length === 0 && o.undelivered === 0);
  }

  /**
   * Queues spans that are Phoenix spans already (an import), for `project`,
   * through the same bounds, retries, recovery and spool; resolves with what
   * became of each of them.
   */
  submitMapped(project: string, spans: readonly PhoenixSpan[]): Promise<SubmitOutcome> {
    return this.#enqueue(spans, project);
  }

  #enqueue(spans: readonly ReadableSpan[] | readonly PhoenixSpan[], project: string | undefined): Promise<SubmitOutcome> {
    return new Promise((resolve) => {
      const outcome: SubmitOutcome = { delivered: 0, duplicates: 0, rejected: [], undelivered: 0 };
      if (spans.length === 0) return resolve(outcome);
      this.#counters.received += spans.length;
      const ticket: Ticket = { outstanding: spans.length, outcome, done: resolve };
      this.#incoming.push(project === undefined ? { spans: spans as readonly ReadableSpan[], ticket } : { spans: spans as readonly PhoenixSpan[], project, ticket });
      this.#schedule();
    });
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
    return this.#degradation !== undefined;
  }

  /** What is wrong right now, for the summary line; undefined when nothing. */
  describeDegradation(): string | undefined {
    if (!this.#degradation) return undefined;
    const since = new Date(this.#degradedSince).toISOString();
    return DEGRADATION_SUMMARY.get(this.#degradation)!(since);
  }

  /**
   * Resolves true once nothing waits in memory or is in flight (the spool
   * aside), false at the deadline. The deadline timer keeps the process alive
   * while a caller waits on it, which is the point of a flush.
   */
  drain(timeoutMillis: number): Promise<boolean> {
    if (this.#idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMillis);
      this.#idleWaiters.push(waiter);
    });
  }

  /** Waits up to the deadline for everything handed over to be delivered; what is still waiting then goes to the spool (when there is one). */
  async flush(timeoutMillis: number): Promise<boolean> {
    const drained = await this.drain(timeoutMillis);
    if (!drained && this.#options.spool) {
      this.#prepare();
      this.#spillReady();
    }
    return drained;
  }

  /**
   * Delivers what it can by the deadline; then cancels what is in flight and
   * spools (or drops, as `shutdown`) everything not delivered. Stops replay;
   * spans read from the spool and not delivered stay in their segment.
   */
  async close(timeoutMillis: number): Promise<void> {
    this.#closing = true;
    const deadline = Date.now() + timeoutMillis;
    // Phoenix is known to be down and there is a spool: waiting would only spend the deadline.
    const knownDown = this.#degradation !== undefined && this.#options.spool !== undefined;
    if (!knownDown && (await this.drain(timeoutMillis))) return;
    this.#prepare();
    for (const batch of this.#takeReady()) this.#shed(batch);
    this.#abort.abort();
    // Cancelled requests answer at once; give them a moment to settle into the spool.
    if (await this.drain(Math.max(100, Math.min(1_000, deadline - Date.now())))) return;
    for (const batch of [...this.#inFlight]) {
      batch.spilled = true;
      this.#inFlight.delete(batch);
      this.#release(batch);
      this.#shed(batch);
    }
    this.#notifyIdle();
  }

  /**
   * For a process `exit` handler, where nothing asynchronous runs: writes
   * every span still in memory (waiting or in flight) to the spool,
   * synchronously. Spans in flight may also have reached Phoenix; a replay
   * then finds them as duplicates. Returns the spans written.
   */
  spillSync(): number {
    const spool = this.#options.spool;
    if (!spool) return 0;
    this.#prepare();
    const before = this.#counters.spooled;
    for (const batch of this.#takeReady()) this.#shed(batch);
    for (const batch of this.#inFlight) {
      if (batch.spilled) continue;
      batch.spilled = true;
      this.#shed(batch);
    }
    return this.#counters.spooled - before;
  }

  #idle(): boolean {
    return this.#incoming.length === 0 && this.#ready.length === 0 && this.#inFlight.size === 0 && !this.#scheduled;
  }

  #notifyIdle(): void {
    if (!this.#idle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // The application's thread only pushed; mapping happens on a later turn.
    setImmediate(() => {
      this.#scheduled = false;
      this.#prepare();
      this.#pump();
    });
  }

  /** Maps what came in and admits it, batch by batch, within the memory bounds. */
  #prepare(): void {
    const incoming = this.#incoming;
    this.#incoming = [];
    const prepare = this.#options.prepare;
    for (const entry of incoming) {
      const { spans, ticket } = entry;
      const byProject = new Map<string, EncodedSpan[]>();
      for (const span of spans) {
        let encoded: EncodedSpan;
        let project: string;
        try {
          let mapped: PhoenixSpan;
          if (entry.project === undefined) {
            mapped = this.#options.map(span as ReadableSpan);
            project = this.#options.projectOf(span as ReadableSpan);
          } else {
            mapped = span as PhoenixSpan;
            project = entry.project;
          }
          encoded = encodeSpan(prepare ? prepare(mapped) : mapped);
        } catch (error) {
          const tooLarge = error instanceof SpanTooLargeError;
          this.#counters.drop(tooLarge ? "too-large" : "unmappable", 1);
          settleUndelivered(ticket, 1);
          this.#options.onTrouble?.();
          diag.error(`phoenix-connector: could not ${tooLarge ? "fit" : "map"} span "${safeName(span)}"; dropped: ${(error as Error).message}`);
          continue;
        }
        if (encoded.bytes + REQUEST_ENVELOPE_BYTES > (this.#options.maxRequestBytes ?? Infinity)) {
          // Never blocks the queue: a span no request can carry is reported and dropped.
          this.#counters.drop("too-large", 1);
          settleUndelivered(ticket, 1);
          this.#options.onTrouble?.();
          diag.error(
            `phoenix-connector: span ${encoded.spanId} (trace ${encoded.traceId}) is ${encoded.bytes} bytes, more than maxRequestBytes ` +
              `(${this.#options.maxRequestBytes}) lets one request carry; dropped.`,
          );
          continue;
        }
        let list = byProject.get(project);
        if (!list) byProject.set(project, (list = []));
        list.push(encoded);
      }
      for (const [project, list] of byProject) {
        for (const part of cutRequests(list, this.#options.maxSpansPerRequest, this.#options.maxRequestBytes ?? Infinity)) {
          this.#admit({ project, spans: part, bytes: totalBytes(part), ticket, lease: undefined });
        }
      }
    }
  }

  /** Into memory while under the bounds and Phoenix answers; else to the spool, or dropped. */
  #admit(batch: Batch): void {
    const full = this.#spans >= this.#options.maxQueuedSpans || this.#bytes >= this.#options.maxQueuedBytes;
    if (full || (this.#degradation && this.#options.spool)) {
      this.#keepOrDrop(batch, "queue-full");
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
  #spillReady(): void {
    const replayed: Batch[] = [];
    for (const batch of this.#takeReady()) {
      if (batch.lease) replayed.push(batch);
      else this.#toSpool(batch);
    }
    for (const batch of replayed) {
      this.#ready.push(batch);
      this.#hold(batch);
    }
  }

  /** Giving up on a batch at shutdown: spooled (or dropped as `shutdown`); replayed spans simply stay in their segment. */
  #shed(batch: Batch): void {
    if (!batch.lease) this.#keepOrDrop(batch, "shutdown");
  }

  /** To the spool when there is one, else dropped for `reason`. */
  #keepOrDrop(batch: Batch, reason: DropReason): void {
    if (this.#options.spool) {
      this.#toSpool(batch);
      return;
    }
    this.#counters.drop(reason, batch.spans.length);
    settleUndelivered(batch.ticket, batch.spans.length);
    this.#options.onTrouble?.();
  }

  #toSpool(batch: Batch): void {
    const result = this.#options.spool!.append(batch.project, batch.spans);
    // Spans read from the spool and written back (a failed replay) were counted when first spooled.
    if (!batch.lease) this.#counters.spooled += result.written;
    if (result.reason) this.#counters.drop(result.reason, result.refused);
    settleUndelivered(batch.ticket, batch.spans.length);
    this.#options.onTrouble?.();
  }

  #pump(): void {
    while (!this.#paused && this.#inFlight.size < this.#window) {
      const batch = this.#ready.shift() ?? this.#fromSpool();
      if (!batch) break;
      this.#inFlight.add(batch);
      void this.#send(batch);
    }
    this.#notifyIdle();
  }

  /** Replay: only when memory has room and nothing newer is waiting. */
  #fromSpool(): Batch | undefined {
    const spool = this.#options.spool;
    if (!spool || this.#closing || (spool.spans === 0 && spool.bytes === 0)) return undefined;
    if (this.#spans >= this.#options.maxQueuedSpans || this.#bytes >= this.#options.maxQueuedBytes) return undefined;
    const lease = spool.take(this.#options.maxSpansPerRequest);
    if (!lease) return undefined;
    const batch: Batch = { project: lease.project, spans: lease.spans, bytes: totalBytes(lease.spans), ticket: undefined, lease };
    this.#hold(batch);
    return batch;
  }

  async #send(batch: Batch): Promise<void> {
    let result: SinkResult;
    try {
      result = await this.#options.sink.write(batch.project, batch.spans, this.#options.timeoutMillis, this.#abort.signal);
    } catch (error) {
      // A sink should not throw; if one does, its spans are kept as if Phoenix were down.
      result = { delivered: 0, duplicates: 0, rejected: [], failed: batch.spans, failure: "unavailable", error: error as Error };
    }
    if (batch.spilled) return;
    this.#inFlight.delete(batch);
    this.#release(batch);
    this.#settle(batch, result);
    this.#pump();
  }

  #settle(batch: Batch, result: SinkResult): void {
    const counters = this.#counters;
    const retries = result.retries ?? 0;
    counters.exported += result.delivered;
    counters.duplicate += result.duplicates;
    counters.retried += retries;
    counters.repaired += result.repaired ?? 0;
    if (batch.lease) counters.replayed += result.delivered + result.duplicates;
    this.#reportRejected(batch.project, result.rejected);
    settleStored(batch.ticket, result.delivered, result.duplicates);
    settleRejected(batch.ticket, result.rejected);
    if (retries > 0 || result.rejected.length > 0 || (result.repaired ?? 0) > 0) this.#options.onTrouble?.();

    if (result.failed.length === 0) {
      this.#answered(retries > 0);
      batch.lease?.ack();
      return;
    }
    const rest: Batch = { ...batch, spans: result.failed, bytes: totalBytes(result.failed) };
    const failure = result.failure ?? "unavailable";
    if (failure === "aborted") {
      // Shutdown cancelled it.
      this.#shed(rest);
      return;
    }
    this.#degrade(failure, result.error);
    if (batch.lease) {
      // Replayed spans are on disk already: they keep their place, unacknowledged, and are the next probe.
      this.#ready.unshift(rest);
      this.#hold(rest);
      return;
    }
    if (failure === "unavailable") {
      if (this.#options.spool) {
        this.#toSpool(rest);
        this.#spillReady();
      } else {
        // No spool: the spans wait at the front, within the memory bounds, for Phoenix to come back.
        this.#ready.unshift(rest);
        this.#hold(rest);
      }
    } else {
      this.#keepOrDrop(rest, failure === "unauthorized" ? "unauthorized" : "refused");
    }
  }

  /**
   * Invalid spans one by one, each with Phoenix's reason for it; spans refused
   * for a reason that is not theirs (a whole request refused, a span too large)
   * one line per reason, so a wrong endpoint does not log a line per span.
   */
  #reportRejected(project: string, rejected: readonly RejectedSpan[]): void {
    const grouped = new Map<string, RejectedSpan[]>();
    for (const span of rejected) {
      if (span.cause === "invalid") {
        this.#counters.invalid++;
        diag.error(
          `phoenix-connector: Phoenix refused span ${span.spanId} (trace ${span.traceId}, project "${project}") as invalid; dropped. Phoenix's reason: ${span.reason}`,
        );
        continue;
      }
      this.#counters.drop(span.cause, 1);
      const key = `${span.cause}\n${span.reason}`;
      let list = grouped.get(key);
      if (!list) grouped.set(key, (list = []));
      list.push(span);
    }
    for (const spans of grouped.values()) {
      const { cause, reason } = spans[0]!;
      const what = `${spans.length === 1 ? "span" : `${spans.length} spans`}${cause === "too-large" ? " as too large" : ""}`;
      const ids = spans.slice(0, 5).map((s) => s.spanId).join(", ") + (spans.length > 5 ? ", …" : "");
      diag.error(`phoenix-connector: Phoenix refused ${what} of project "${project}" (${ids}); dropped. Phoenix's answer: ${reason}`);
    }
  }

  /** A request came back answered: leave the degraded state, and size the window. */
  #answered(pushedBack: boolean): void {
    if (this.#degradation) {
      const spool = this.#options.spool;
      diag.info(
        `phoenix-connector: ${this.#options.sink.description} answers again after ${Math.round((Date.now() - this.#degradedSince) / 1000)} s` +
          (spool && spool.spans > 0 ? `; replaying ${spool.spans} spooled spans.` : "."),
      );
      this.#degradation = undefined;
      this.#probeCeiling = this.#options.probeBackoff.initialMillis;
    }
    this.#window = pushedBack ? Math.max(1, Math.ceil(this.#window / 2)) : Math.min(this.#options.concurrency, this.#window + 1);
  }

  #degrade(kind: Degradation, error: Error | undefined): void {
    this.#window = 1;
    if (this.#degradation !== kind) {
      this.#degradation = kind;
      this.#degradedSince = Date.now();
      this.#logDegradation(kind, error);
    }
    this.#options.onTrouble?.();
    if (this.#paused) return;
    this.#paused = true;
    const pause = Math.floor(this.#options.clock.random() * this.#probeCeiling);
    this.#probeCeiling = Math.min(this.#options.probeBackoff.maxMillis, this.#probeCeiling * 2);
    void this.#options.clock.sleep(pause).then(() => {
      this.#paused = false;
      this.#pump();
    });
  }

  /** Once per episode: what is wrong, what to do, and where the spans go meanwhile. */
  #logDegradation(kind: Degradation, error: Error | undefined): void {
    const spool = this.#options.spool;
    const sink = this.#options.sink.description;
    switch (kind) {
      case "unauthorized":
        // PhoenixAuthenticationError's message names the cause and the fix, never the key.
        diag.error(
          `phoenix-connector: ${error?.message ?? "Phoenix refused the API key (401/403)."} Until it is fixed, ` +
            (spool ? `spans go to the spool in ${spool.directory}.` : "spans are dropped (configure spoolDir to keep them)."),
        );
        break;
      case "route-missing":
        diag.error(
          `phoenix-connector: ${sink} has no span route (${error?.message ?? "404"}): this Phoenix is older than 10.12. ` +
            `Set the transport option to "auto" or "otlp", or upgrade Phoenix. ` +
            (spool ? `Spans go to the spool in ${spool.directory}.` : "Spans are dropped."),
        );
        break;
      case "unavailable":
        diag.warn(
          `phoenix-connector: ${sink} did not answer after every retry (${error?.message ?? "unavailable"}); ` +
            (spool ? `spans go to the spool in ${spool.directory}` : `up to ${this.#options.maxQueuedSpans} spans wait in memory`) +
            ", and one request at a time checks whether Phoenix is back.",
        );
        break;
    }
  }
}

function settleStored(ticket: Ticket | undefined, delivered: number, duplicates: number): void {
  if (!ticket || delivered + duplicates === 0) return;
  ticket.outcome.delivered += delivered;
  ticket.outcome.duplicates += duplicates;
  countDown(ticket, delivered + duplicates);
}

function settleRejected(ticket: Ticket | undefined, rejected: readonly RejectedSpan[]): void {
  if (!ticket || rejected.length === 0) return;
  ticket.outcome.rejected.push(...rejected);
  countDown(ticket, rejected.length);
}

function settleUndelivered(ticket: Ticket | undefined, count: number): void {
  if (!ticket || count === 0) return;
  ticket.outcome.undelivered += count;
  countDown(ticket, count);
}

function countDown(ticket: Ticket, count: number): void {
  ticket.outstanding -= count;
  if (ticket.outstanding <= 0) ticket.done(ticket.outcome);
}

/** Consecutive requests of at most `maxSpans` spans and `maxBytes` bytes of body each (every span fits alone: checked before). */
function cutRequests(spans: readonly EncodedSpan[], maxSpans: number, maxBytes: number): EncodedSpan[][] {
  const parts: EncodedSpan[][] = [];
  let part: EncodedSpan[] = [];
  let bytes = REQUEST_ENVELOPE_BYTES;
  for (const span of spans) {
    // One comma between spans.
    if (part.length > 0 && (part.length >= maxSpans || bytes + 1 + span.bytes > maxBytes)) {
      parts.push(part);
      part = [];
      bytes = REQUEST_ENVELOPE_BYTES;
    }
    bytes += (part.length > 0 ? 1 : 0) + span.bytes;
    part.push(span);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

function safeName(span: { name: unknown }): string {
  try {
    return String(span.name).slice(0, 100);
  } catch {
    return "?";
  }
}
