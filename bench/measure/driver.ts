import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import type { Subject } from "../subjects/subject.js";
import { evictCaches } from "./evict-caches.js";

export interface DriveOptions {
  /** Spans handed over per event-loop turn before yielding, as an application ends spans between its own work. */
  chunk: number;
  /**
   * Most spans handed over and not yet acknowledged; past it the driver
   * waits. Below the OpenTelemetry batch queue (2048) and this package's
   * memory bounds, so that no subject drops a span.
   */
  maxOutstanding: number;
  /** When given, the time of each hand-off (ms) is written here: the application-thread cost. */
  timings?: Float64Array;
  /**
   * Called before each chunk with the spans it will hand over (`--fresh-spans`:
   * the pool slots get new copies). Its CPU time is not the subject's: it is
   * measured and returned by `drive`, for the caller to subtract.
   */
  renew?: (from: number, count: number) => void;
  /**
   * Bytes of memory written between chunks, outside the timed calls
   * (`BENCH_EVICT_BYTES`): evicts the CPU caches as a heavy turn of the
   * application would, to test whether a hand-off's cost is cache misses.
   */
  evictBytes?: number;
}

/**
 * Hands spans `from … from + count - 1` to the subject one by one, then
 * waits until every one of them is acknowledged by the sink. Returns the
 * CPU time (µs) spent in `renew`.
 */
export async function drive(subject: Subject, from: number, count: number, options: DriveOptions): Promise<number> {
  const { chunk, maxOutstanding, timings, renew, evictBytes } = options;
  let renewMicros = 0;
  // Acknowledgements only grow: the subject is asked only when the last answer leaves too little room.
  let acknowledged = subject.acknowledged();
  for (let i = 0; i < count; i++) {
    if (evictBytes && i % chunk === 0) evictCaches(evictBytes);
    if (renew && i % chunk === 0) {
      const before = process.cpuUsage();
      renew(from + i, Math.min(chunk, count - i));
      const used = process.cpuUsage(before);
      renewMicros += used.user + used.system;
    }
    if (timings) {
      const started = performance.now();
      subject.feed(from + i);
      timings[i] = performance.now() - started;
    } else {
      subject.feed(from + i);
    }
    if ((i + 1) % chunk === 0) {
      await nextTurn();
      const fed = from + i + 1;
      while (fed - acknowledged > maxOutstanding) {
        acknowledged = subject.acknowledged();
        if (fed - acknowledged > maxOutstanding) await sleep(1);
      }
    }
  }
  await subject.flush();
  acknowledged = subject.acknowledged();
  if (acknowledged !== from + count) {
    throw new Error(`${subject.name}: ${from + count} spans handed over, ${acknowledged} acknowledged`);
  }
  return renewMicros;
}
