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
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (millis) =>
    new Promise((resolve) => {
      // A backoff must not keep the process alive on its own.
      setTimeout(resolve, millis).unref();
    }),
  random: () => Math.random(),
};
