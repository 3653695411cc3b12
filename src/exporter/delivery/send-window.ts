/**
 * How many requests may be in flight, and how long one may take, adapted to
 * the answers Phoenix actually gives.
 *
 * Why answer times and not only push-back: Phoenix's REST route never pushes
 * back (no 503 however full its ingest queue is) and does not answer faster
 * with more requests in flight — measured 110, 129 and 97 spans/s with 1, 4
 * and 8 in flight, while the median answer grew from 14 ms to 170 ms and the
 * slowest to 14 s (BEHAVIOUR.md, "Speed under load"). More requests then only
 * queue inside Phoenix. So, per answer, as TCP Vegas does with round trips:
 * an answer near the fastest recent one widens the window by one, a much
 * slower one (Phoenix stalled writing what it queued) narrows it by one, and
 * push-back (a request that needed retries: 503, 429, a timeout) halves it.
 * What counts there is the time the request waited on Phoenix: the answer
 * time less the time this thread was busy meanwhile (the application, our
 * mapping, a GC), during which an answer that had arrived could not be
 * read. Measured: a loopback sink answering at once, the application ending
 * large spans back to back (bench `--fresh-spans`, rag mix) saw answers of
 * 90-190 ms, nearly all of it its own thread's time; taken as Phoenix's,
 * they narrowed the window to one, the queue filled and 450-700 of 20,000
 * spans were dropped as queue-full (two runs; none with this rule). The
 * slowdown the rule is for (a Phoenix that stalls for seconds) leaves the
 * thread idle and is seen in full.
 *
 * The request timeout follows the slowest recent answer (three times it,
 * never below the configured one, at most {@link MAX_TIMEOUT_MILLIS}), so a
 * Phoenix that stalls for 14 s is waited for instead of cut off; a cut-off
 * request is often stored anyway, and its retry then comes back as a
 * duplicate.
 */
export class SendWindow {
  readonly #max: number;
  readonly #minTimeoutMillis: number;
  #size: number;
  /** Answer times of the last {@link RECENT} answers, a ring (the timeout follows these). */
  readonly #recent: number[] = [];
  /** The same answers' waits on Phoenix: answer time less this thread's busy time (the window follows these). */
  readonly #waits: number[] = [];
  #next = 0;

  constructor(maxInFlight: number, timeoutMillis: number) {
    this.#max = maxInFlight;
    this.#size = maxInFlight;
    this.#minTimeoutMillis = timeoutMillis;
  }

  /** Requests that may be in flight now. */
  get size(): number {
    return this.#size;
  }

  /** The timeout of the next request. */
  get timeoutMillis(): number {
    let slowest = 0;
    for (const millis of this.#recent) if (millis > slowest) slowest = millis;
    return Math.min(MAX_TIMEOUT_MILLIS, Math.max(this.#minTimeoutMillis, 3 * slowest));
  }

  /**
   * A request came back answered after `millis`, `busyMillis` of which this
   * thread spent running rather than waiting; `pushedBack` when it needed retries.
   */
  answered(millis: number, pushedBack: boolean, busyMillis = 0): void {
    const waited = Math.max(0, millis - Math.max(0, busyMillis));
    const fastest = this.#fastest();
    this.#remember(millis, waited);
    if (pushedBack) this.#size = Math.max(1, Math.ceil(this.#size / 2));
    else if (fastest === undefined || waited <= 2 * Math.max(fastest, FLOOR_MILLIS)) this.#size = Math.min(this.#max, this.#size + 1);
    else if (waited > 4 * Math.max(fastest, FLOOR_MILLIS)) this.#size = Math.max(1, this.#size - 1);
  }

  /** Phoenix is down or refuses: one request at a time until it answers. */
  collapse(): void {
    this.#size = 1;
  }

  #fastest(): number | undefined {
    if (this.#waits.length === 0) return undefined;
    let fastest = Infinity;
    for (const millis of this.#waits) if (millis < fastest) fastest = millis;
    return fastest;
  }

  #remember(millis: number, waited: number): void {
    if (this.#recent.length < RECENT) {
      this.#recent.push(millis);
      this.#waits.push(waited);
    } else {
      this.#recent[this.#next] = millis;
      this.#waits[this.#next] = waited;
    }
    this.#next = (this.#next + 1) % RECENT;
  }
}

const RECENT = 32;
/** Below this, differences in answer time are noise (loopback, scheduling), not Phoenix's load. */
const FLOOR_MILLIS = 25;
export const MAX_TIMEOUT_MILLIS = 120_000;
