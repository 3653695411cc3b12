import { diag } from "@opentelemetry/api";
import { unlessAborted } from "./abort.js";
import { Backoff } from "./backoff.js";
import { REAL_CLOCK, type Clock } from "./clock.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 8. */
  maxAttempts?: number;
  /** First backoff ceiling. Default 250 ms. */
  initialBackoffMillis?: number;
  /** Largest backoff ceiling. Default 5 s, as OpenTelemetry's OTLP exporters. */
  maxBackoffMillis?: number;
  /** Ceiling multiplier per attempt. Default 2. */
  multiplier?: number;
  /** No attempt starts after this long since the first one. Default 60 s. */
  deadlineMillis?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries. Default 60 s. */
  maxRetryAfterMillis?: number;
}

export const RETRY_DEFAULTS: Required<RetryPolicy> = {
  maxAttempts: 8,
  initialBackoffMillis: 250,
  // Also the longest a sleeping request can miss Phoenix's return by (see wake-up below).
  maxBackoffMillis: 5_000,
  multiplier: 2,
  deadlineMillis: 60_000,
  maxRetryAfterMillis: 60_000,
};

/**
 * Retries what the inner transport calls `retryable`: exponential backoff
 * with full jitter (a random wait in [0, ceiling)), a server's `Retry-After`
 * taking precedence, all within an overall deadline. The last `retryable`
 * answer is returned as is when the attempts or the deadline run out, so the
 * caller can still tell an outage from a refusal.
 */
export class RetryingTransport implements Transport {
  readonly #inner: Transport;
  readonly #policy: Required<RetryPolicy>;
  readonly #clock: Clock;
  /** Called before each retry, for counting. */
  onRetry: ((attempt: number, response: TransportResponse) => void) | undefined;
  /**
   * Requests sleeping in backoff, oldest first. Each success wakes one, whose
   * own success wakes the next: a Phoenix that is back gets them all again
   * within a few answers, while one at capacity (OTLP 503 until its writer
   * frees room) is not sent a request per sleeper for each that got through
   * (waking all made most of them fail again: bench/overload.ts).
   */
  readonly #sleepers = new Set<() => void>();

  constructor(inner: Transport, policy: RetryPolicy = {}, clock: Clock = REAL_CLOCK) {
    this.#inner = inner;
    this.#policy = { ...RETRY_DEFAULTS, ...definedOnly(policy) };
    this.#clock = clock;
  }

  async send(request: TransportRequest, timeoutMillis: number): Promise<TransportResponse> {
    const started = this.#clock.now();
    const deadline = started + this.#policy.deadlineMillis;
    const backoff = new Backoff(this.#policy, this.#clock);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - this.#clock.now();
      const response = await this.#inner.send(request, Math.max(1, Math.min(timeoutMillis, remaining)));
      response.attempts = attempt;
      if (response.status === "success") this.#wakeOne();
      if (response.status !== "retryable" || attempt >= this.#policy.maxAttempts) return response;
      let wait: number;
      if (response.retryAfterMillis !== undefined) {
        if (response.retryAfterMillis > this.#policy.maxRetryAfterMillis) return response;
        wait = response.retryAfterMillis;
      } else {
        wait = backoff.next();
      }
      if (this.#clock.now() + wait >= deadline) return response;
      diag.debug(`phoenix-connector: retrying ${request.method} ${request.path} in ${wait} ms (attempt ${attempt + 1}): ${response.error.message}`);
      this.onRetry?.(attempt, response);
      // A backoff ends early when another request gets through (Phoenix is back); a server's Retry-After is honoured in full.
      const sleep = response.retryAfterMillis === undefined ? this.#wakeableSleep(wait) : this.#clock.sleep(wait);
      if ((await unlessAborted(sleep, request.signal)) === "aborted") {
        return { status: "failure", error: new Error("cancelled"), aborted: true, attempts: attempt };
      }
    }
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  #wakeableSleep(millis: number): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    this.#sleepers.add(wake);
    return Promise.race([this.#clock.sleep(millis), woken]).finally(() => this.#sleepers.delete(wake));
  }

  #wakeOne(): void {
    for (const wake of this.#sleepers) {
      this.#sleepers.delete(wake);
      wake();
      return;
    }
  }
}

function definedOnly(policy: RetryPolicy): RetryPolicy {
  return Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)) as RetryPolicy;
}
