import type { Clock } from "../../http/clock.js";
import type { Spool } from "../spool/spool.js";
import type { DeliveryCounters } from "./delivery-stats.js";
import type { EncodeSteps } from "./request-batches.js";
import type { SpanSink } from "./span-sink.js";

/** What a `DeliveryQueue` is built with, resolved once by the exporter (exporter.ts) from its options. */
export interface DeliveryQueueOptions extends Omit<EncodeSteps, "maxRequestBytes"> {
  sink: SpanSink;
  /** Most bytes of one request body; a span that cannot fit alone is dropped as `too-large`. Default: no cap. */
  maxRequestBytes?: number;
  /** Most requests in flight at once; the window adapts below it (send-window.ts). */
  concurrency: number;
  /** Shortest per-request timeout; it grows with the answer times Phoenix gives. */
  timeoutMillis: number;
  /** Mapped spans held in memory (waiting or in flight); past it they go to the spool, or are dropped. */
  maxQueuedSpans: number;
  /** The same bound in bytes of span JSON. */
  maxQueuedBytes: number;
  spool: Spool | undefined;
  counters: DeliveryCounters;
  /** Time of probes, progress and deadlines (injected in tests). */
  clock: Clock;
  /** Pause between probes while Phoenix is down or refuses the key. */
  probeBackoff: { initialMillis: number; maxMillis: number };
  /** Told whenever something goes wrong (retry, refusal, drop, spool, outage), for the periodic summary. */
  onTrouble?: () => void;
}
