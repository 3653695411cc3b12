import { announceLoss } from "./loss-warning.js";
import type { SinkResult } from "./span-sink.js";

/** Why spans were dropped. Each span lost is counted under exactly one reason (or under `invalid`). */
export type DropReason =
  /** Over `maxQueuedSpans` / `maxQueuedBytes` with no spool configured. */
  | "queue-full"
  /** The spool is at `spoolMaxBytes`. */
  | "spool-full"
  /** Writing to the spool failed (disk full, permissions). */
  | "spool-error"
  /** A spool record failed its checksum when read back (a torn or damaged file). */
  | "spool-corrupt"
  /** Phoenix answered 401/403 and no spool is configured. */
  | "unauthorized"
  /** Phoenix refused the request as a whole (not one span), or has no route for it. */
  | "refused"
  /** One span alone is larger than Phoenix or a proxy accepts (413). */
  | "too-large"
  /** The mapping could not turn the span into a Phoenix span. */
  | "unmappable"
  /** Not delivered when shutdown gave up (Phoenix stopped answering, or the cap passed), or ended after shutdown; no spool configured. */
  | "shutdown";

export const DROP_REASONS: readonly DropReason[] = [
  "queue-full",
  "spool-full",
  "spool-error",
  "spool-corrupt",
  "unauthorized",
  "refused",
  "too-large",
  "unmappable",
  "shutdown",
];

/** What `PhoenixSpanExporter.stats()` returns. Counts are of spans unless said otherwise; nothing here is secret. */
export interface DeliveryStats {
  /** Where spans go, e.g. `http://localhost:6006 (REST)`. */
  destination: string;
  /** Spans handed to the exporter. */
  received: number;
  /** Spans Phoenix acknowledged (202/200), replayed ones included. */
  exported: number;
  /** Spans Phoenix already had (a re-send after a lost answer): delivered, not stored twice. */
  duplicate: number;
  /** Requests sent again after a transient failure (timeout, reset, 408/429/5xx). */
  retried: number;
  /** Spans Phoenix called invalid through a fault of ours, repaired and delivered. */
  repaired: number;
  /** Spans Phoenix refused as invalid, each reported with Phoenix's reason, and dropped. */
  invalid: number;
  /** Spans dropped, by reason; `total` is their sum. */
  dropped: Readonly<Record<DropReason, number>> & { readonly total: number };
  /** Spans written to the spool (a span is counted once, however often its replay fails). */
  spooled: number;
  /** Spans read back from the spool and delivered (exported or duplicate). */
  replayed: number;
  /**
   * Spans whose request was cut off in flight at shutdown, with no spool to
   * keep them: Phoenix may have stored them (it completes requests a sender
   * gave up on), so they are neither exported nor dropped.
   */
  unknown: number;
  /** In memory now: mapped spans waiting or in flight, and their JSON bytes. */
  queue: { spans: number; bytes: number; requestsInFlight: number };
  /** On disk now, when a spool is configured. */
  spool?: { spans: number; bytes: number; directory: string };
  /** True while Phoenix is unreachable or refuses the credentials. */
  degraded: boolean;
  /** What is wrong, while `degraded`. */
  degradedReason?: string;
}

/** The counters behind {@link DeliveryStats}; mutable, owned by one exporter. */
export class DeliveryCounters {
  received = 0;
  exported = 0;
  duplicate = 0;
  retried = 0;
  repaired = 0;
  invalid = 0;
  spooled = 0;
  replayed = 0;
  unknown = 0;
  readonly dropped = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));

  /** Counts what one answer settled; `replayed`: its spans came from the spool. */
  answered(result: SinkResult, replayed: boolean): void {
    this.exported += result.delivered;
    this.duplicate += result.duplicates;
    this.retried += result.retries ?? 0;
    this.repaired += result.repaired ?? 0;
    if (replayed) this.replayed += result.delivered + result.duplicates;
  }

  /** Counts a loss and announces it (see loss-warning.ts): no span is lost silently. */
  drop(reason: DropReason, count: number): void {
    if (count <= 0) return;
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + count);
    announceLoss(reason, count, LOSS_EXPLANATION.get(reason)!);
  }

  /** Spans cut off in flight without a spool: announced like a loss, counted apart. */
  cutOff(count: number): void {
    if (count <= 0) return;
    this.unknown += count;
    announceLoss(
      "cut-off",
      count,
      "their requests were still in flight when shutdown ended; Phoenix may have stored them. Configure spoolDir to keep such spans for a replay.",
    );
  }

  droppedTotal(): number {
    let total = 0;
    for (const count of this.dropped.values()) total += count;
    return total;
  }

  /** Retried, repaired, invalid, dropped, spooled: everything that means something went wrong. */
  troubleScore(): number {
    return this.retried + this.repaired + this.invalid + this.spooled + this.unknown + this.droppedTotal();
  }

  droppedSnapshot(): DeliveryStats["dropped"] {
    return { ...(Object.fromEntries(this.dropped) as Record<DropReason, number>), total: this.droppedTotal() };
  }
}

/** What each loss means and what to do about it, in the announcement. */
const LOSS_EXPLANATION: ReadonlyMap<DropReason, string> = new Map<DropReason, string>([
  ["queue-full", "more spans waited than maxQueuedSpans / maxQueuedBytes allow; configure spoolDir to keep the overflow on disk, or raise the bounds."],
  ["spool-full", "the spool reached spoolMaxBytes; raise it or make Phoenix reachable."],
  ["spool-error", "writing to the spool failed (disk full or permissions); check spoolDir."],
  ["spool-corrupt", "a spool record failed its checksum (a damaged file)."],
  ["unauthorized", "Phoenix refused the API key (401/403); set PHOENIX_API_KEY, or configure spoolDir to keep spans until it is fixed."],
  ["refused", "Phoenix refused the request for good; see the diag log for its answer."],
  ["too-large", "a span is larger than one request may carry; see limits.maxRequestBytes."],
  ["unmappable", "the mapping failed on a span; see the diag log."],
  ["shutdown", "shutdown ended before they were delivered (Phoenix stopped answering, or a timeoutMillis cap passed), or they ended after shutdown; configure spoolDir to keep them."],
]);
