/**
 * The judge's optional retry-delay hook. Whether to retry, and how long a
 * server's `Retry-After` may be, is decided by the package's one retry
 * policy (src/http/retrying-transport.ts); a `RetryDelay` only replaces the
 * wait between two attempts (tests pass `() => 0`).
 */
import { RETRY_DEFAULTS } from "../../http/retrying-transport.js";

/** Delay before retry number `attempt` (1 = first retry); `retryAfterMs` is the server's Retry-After (whole seconds or an HTTP date), if any. */
export type RetryDelay = (attempt: number, retryAfterMs: number | undefined) => number;

/**
 * What the shared policy waits when no `retryDelayMs` is given: the server's
 * Retry-After, else full jitter, a random wait in [0, 250 ms × 2^(attempt-1)),
 * the ceiling capped at 5 s.
 */
export const defaultRetryDelay: RetryDelay = (attempt, retryAfterMs) => {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(
    RETRY_DEFAULTS.maxBackoffMillis,
    RETRY_DEFAULTS.initialBackoffMillis * RETRY_DEFAULTS.multiplier ** Math.max(0, attempt - 1),
  );
  return Math.floor(Math.random() * ceiling);
};
