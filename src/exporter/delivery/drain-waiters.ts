/** How long a flush or shutdown waits: until Phoenix stops acknowledging for `progressMillis`, or the `capMillis` cap. */
export interface DrainDeadline {
  /** Longest wait with no acknowledgement from Phoenix. */
  progressMillis: number;
  /** Longest wait in all; Infinity for none. */
  capMillis: number;
  /** Also give up as soon as Phoenix is known to be down (a flush at process exit). */
  untilDown?: boolean;
}

/** Timer lateness below this is ordinary scheduling. */
const LATE_MILLIS = 20;

interface Waiter {
  idle(): void;
  /** Re-evaluates the deadline (after progress or an outage). */
  check(): void;
}

/**
 * The callers of a flush or shutdown waiting for the queue to empty, and the
 * progress clock their deadlines are measured on: the last time Phoenix
 * acknowledged anything. A wait ends when the queue is idle (true), or when
 * Phoenix stays silent for `progressMillis`, the cap passes, or (with
 * `untilDown`) Phoenix is known to be down (false).
 *
 * Deadlines are the caller's wall-clock time, measured with real timers: the
 * injected Clock paces retries and probes (tests make its sleeps instant), so
 * it cannot say how long Phoenix has really been silent.
 */
export class DrainWaiters {
  #waiters: Waiter[] = [];
  #lastProgress = 0;
  /** All time credited so far, so a late timer does not credit the same busy time again. */
  #credited = 0;

  /** Phoenix acknowledged something: every waiter's silence starts again. */
  progress(): void {
    this.#lastProgress = Date.now();
  }

  /** Time spent on this thread's own work (mapping a burst) is not Phoenix's silence. */
  credit(millis: number): void {
    this.#lastProgress += millis;
    this.#credited += millis;
  }

  /**
   * `requestTimeoutMillis` is the current timeout of one request (it follows
   * Phoenix's slowest recent answers): silence shorter than that is a stalled
   * answer still due, not a Phoenix that stopped answering, so the wait for
   * progress is never shorter.
   */
  wait(deadline: DrainDeadline, isDown: () => boolean, requestTimeoutMillis: () => number = () => 0): Promise<boolean> {
    const started = Date.now();
    this.#lastProgress = Math.max(this.#lastProgress, started);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        idle: () => {
          clearTimeout(timer);
          resolve(true);
        },
        check: () => {
          clearTimeout(timer);
          const now = Date.now();
          const stalledAt = this.#lastProgress + Math.max(deadline.progressMillis, requestTimeoutMillis());
          const capAt = started + deadline.capMillis;
          if (now >= stalledAt || now >= capAt || (deadline.untilDown === true && isDown())) {
            this.#waiters = this.#waiters.filter((w) => w !== waiter);
            resolve(false);
            return;
          }
          // The timer keeps the process alive while a caller waits, which is the point of a flush.
          const delay = Math.max(1, Math.min(stalledAt, capAt) - now);
          const due = now + delay;
          const creditedBefore = this.#credited;
          timer = setTimeout(() => {
            // A timer that fires late means this thread was busy (mapping, spool reads, the
            // application): answers from Phoenix may be waiting unread behind it, so the
            // lateness is not Phoenix's silence.
            const late = Date.now() - due - (this.#credited - creditedBefore);
            if (late > LATE_MILLIS) this.#lastProgress += late;
            waiter.check();
          }, delay);
        },
      };
      this.#waiters.push(waiter);
      waiter.check();
    });
  }

  /** The queue is idle: every waiter is done. */
  idle(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.idle();
  }

  /** Something changed (an outage began or ended): waiters look at their deadlines again. */
  check(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }
}
