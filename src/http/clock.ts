import { performance } from "node:perf_hooks";

/**
 * Time as everything below the entry points sees it: the retrying transport,
 * the delivery queue's timers and probes, annotation waits, trace reads.
 * Injected once at an entry point (tests pass a fake one, so that no test
 * waits for real backoffs); every layer below uses what it was given.
 */
export interface Clock {
  now(): number;
  sleep(millis: number): Promise<void>;
  random(): number;
  /**
   * Milliseconds this thread has spent running (not waiting for I/O) so far,
   * on any monotonic origin; absent: taken as never busy. What a request's
   * answer time owes to this thread rather than to the server: an answer that
   * arrives while the application, our own mapping or a GC holds the thread
   * is read only when the thread is free.
   */
  busyMillis?(): number;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  // The event loop's active time (libuv's idle-time metric, which Node keeps on): a cheap read.
  busyMillis: () => performance.eventLoopUtilization().active,
  sleep: (millis) =>
    new Promise((resolve) => {
      // A backoff must not keep the process alive on its own.
      setTimeout(resolve, millis).unref();
    }),
  random: () => Math.random(),
};
