import type { Clock } from "./clock.js";

/** How the waits between attempts grow. */
export interface BackoffPolicy {
  /** First wait ceiling. */
  initialBackoffMillis: number;
  /** Largest wait ceiling. */
  maxBackoffMillis: number;
  /** Ceiling multiplier per wait. Default 2. */
  multiplier?: number;
  /**
   * `"full"` (the default): each wait is random in [0, ceiling), so that
   * clients failing together do not retry together. `"none"`: each wait is
   * the ceiling itself, for polls whose spacing means something (a doubling
   * wait for a span to be stored, a fixed interval for a trace to settle).
   */
  jitter?: "full" | "none";
}

/**
 * The one backoff of the package: exponential ceilings (times `multiplier`,
 * up to `maxBackoffMillis`), with full jitter unless asked otherwise. The
 * retrying transport and every wait-and-try-again loop above it take their
 * waits from here.
 */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #clock: Clock;
  #ceiling: number;

  constructor(policy: BackoffPolicy, clock: Clock) {
    this.#policy = policy;
    this.#clock = clock;
    this.#ceiling = policy.initialBackoffMillis;
  }

  /** The next wait, in milliseconds; the ceiling grows for the one after. */
  next(): number {
    const ceiling = this.#ceiling;
    this.#ceiling = Math.min(this.#policy.maxBackoffMillis, ceiling * (this.#policy.multiplier ?? 2));
    return this.#policy.jitter === "none" ? ceiling : Math.floor(this.#clock.random() * ceiling);
  }
}

/** What one attempt of {@link retryUntil} found: done (stop), or not yet (wait and try again). */
export type AttemptResult<T> = { done: true; value: T } | { done: false; value: T };

/**
 * Calls `attempt` until it is done or the next wait would end after
 * `deadline` (a time of `clock`), sleeping the policy's backoff between
 * attempts on the injected clock. Resolves with the last attempt's value and
 * whether it was done; an attempt that throws ends the loop with its error.
 */
export async function retryUntil<T>(
  deadline: number,
  attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
  clock: Clock,
  policy: BackoffPolicy,
): Promise<{ done: boolean; value: T; attempts: number }> {
  const backoff = new Backoff(policy, clock);
  for (let attempts = 1; ; attempts++) {
    const result = await attempt(attempts);
    if (result.done) return { done: true, value: result.value, attempts };
    const wait = backoff.next();
    if (clock.now() + wait > deadline) return { done: false, value: result.value, attempts };
    await clock.sleep(wait);
  }
}
