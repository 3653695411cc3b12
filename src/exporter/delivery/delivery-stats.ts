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
  /** Not delivered by the shutdown deadline and no spool configured. */
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
  readonly dropped = new Map<DropReason, number>(DROP_REASONS.map((reason) => [reason, 0]));

  drop(reason: DropReason, count: number): void {
    if (count > 0) this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + count);
  }

  droppedTotal(): number {
    let total = 0;
    for (const count of this.dropped.values()) total += count;
    return total;
  }

  /** Retried, repaired, invalid, dropped, spooled: everything that means something went wrong. */
  troubleScore(): number {
    return this.retried + this.repaired + this.invalid + this.spooled + this.droppedTotal();
  }

  droppedSnapshot(): DeliveryStats["dropped"] {
    return { ...(Object.fromEntries(this.dropped) as Record<DropReason, number>), total: this.droppedTotal() };
  }
}
