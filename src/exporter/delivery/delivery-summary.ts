import { diag } from "@opentelemetry/api";
import { DROP_REASONS, type DeliveryStats } from "./delivery-stats.js";

/**
 * One `diag.warn` line with the exporter's counts, every `intervalMillis`,
 * while anything is going wrong (retries, refusals, drops, spooling, an
 * outage, spans waiting in the spool) and silent otherwise. The timer runs
 * only while there is trouble, and is unref'd.
 */
export class DeliverySummary {
  readonly #snapshot: () => DeliveryStats;
  readonly #trouble: () => number;
  readonly #intervalMillis: number;
  #timer: NodeJS.Timeout | undefined;
  #lastTrouble = -1;
  #loggedTrouble = false;
  #lastLine = "";

  constructor(snapshot: () => DeliveryStats, trouble: () => number, intervalMillis: number) {
    this.#snapshot = snapshot;
    this.#trouble = trouble;
    this.#intervalMillis = intervalMillis;
  }

  /** Something went wrong: make sure a summary follows. */
  notice(): void {
    if (this.#timer || this.#intervalMillis <= 0) return;
    this.#loggedTrouble = false;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMillis);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const stats = this.#snapshot();
    const trouble = this.#trouble();
    const wrongNow = stats.degraded || (stats.spool?.spans ?? 0) > 0 || trouble !== this.#lastTrouble;
    // After lines about trouble, one more once it is over, so the log shows how it ended (unless the last said it all).
    const line = formatSummary(stats);
    if (wrongNow || (this.#loggedTrouble && line !== this.#lastLine)) diag.warn(line);
    this.#lastLine = line;
    this.#lastTrouble = trouble;
    this.#loggedTrouble = wrongNow;
    if (!wrongNow) this.stop();
  }
}

export function formatSummary(stats: DeliveryStats, prefix = "delivery"): string {
  const drops = DROP_REASONS.filter((reason) => stats.dropped[reason] > 0).map((reason) => `${reason} ${stats.dropped[reason]}`);
  const parts = [
    `exported ${stats.exported}`,
    `duplicate ${stats.duplicate}`,
    `retried ${stats.retried}`,
    `repaired ${stats.repaired}`,
    `invalid ${stats.invalid}`,
    `dropped ${stats.dropped.total}${drops.length > 0 ? ` (${drops.join(", ")})` : ""}`,
    ...(stats.unknown > 0 ? [`cut off in flight ${stats.unknown}`] : []),
    `spooled ${stats.spooled}`,
    `replayed ${stats.replayed}`,
    `queued ${stats.queue.spans} spans / ${stats.queue.bytes} bytes`,
  ];
  if (stats.spool) parts.push(`in spool ${stats.spool.spans} spans / ${stats.spool.bytes} bytes`);
  const state = stats.degradedReason ? `; ${stats.degradedReason}` : "";
  return `phoenix-connector: ${prefix} to ${stats.destination}: ${parts.join(", ")}${state}`;
}
