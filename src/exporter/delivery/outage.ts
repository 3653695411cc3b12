import { diag } from "@opentelemetry/api";
import type { Clock } from "../../http/clock.js";

/** Why only one request at a time, paced, goes out: Phoenix is down, refuses the key, or lacks the route. */
export type Degradation = "unavailable" | "unauthorized" | "route-missing";

const SUMMARY: ReadonlyMap<Degradation, (since: string) => string> = new Map([
  ["unavailable", (since: string) => `Phoenix unreachable since ${since}`],
  ["unauthorized", (since: string) => `Phoenix refuses the API key since ${since}`],
  ["route-missing", (since: string) => `Phoenix has no REST span route (since ${since})`],
]);

export interface OutageOptions {
  clock: Clock;
  /** Pause between probes: full jitter, doubling from `initialMillis` to `maxMillis`. */
  probeBackoff: { initialMillis: number; maxMillis: number };
  /** For log lines: the sink, and where spans wait meanwhile. */
  sinkDescription: string;
  waiting: string;
  spoolDirectory: string | undefined;
}

/**
 * The state of an episode in which Phoenix cannot take spans (down after
 * every retry, refusing the key, no span route), and the pacing of the probe
 * requests that find out when it can again. Logs once per episode.
 */
export class Outage {
  readonly #options: OutageOptions;
  #kind: Degradation | undefined;
  #since = 0;
  #probeCeiling: number;
  #paused = false;

  constructor(options: OutageOptions) {
    this.#options = options;
    this.#probeCeiling = options.probeBackoff.initialMillis;
  }

  get active(): boolean {
    return this.#kind !== undefined;
  }

  /** True while the next probe waits for its pause. */
  get paused(): boolean {
    return this.#paused;
  }

  describe(): string | undefined {
    return this.#kind ? SUMMARY.get(this.#kind)!(new Date(this.#since).toISOString()) : undefined;
  }

  /** Phoenix failed a request for good this way: enter (or stay in) the episode, and pause before the next probe. */
  failed(kind: Degradation, error: Error | undefined, resume: () => void): void {
    if (this.#kind !== kind) {
      this.#kind = kind;
      this.#since = this.#options.clock.now();
      this.#log(kind, error);
    }
    if (this.#paused) return;
    this.#paused = true;
    const pause = Math.floor(this.#options.clock.random() * this.#probeCeiling);
    this.#probeCeiling = Math.min(this.#options.probeBackoff.maxMillis, this.#probeCeiling * 2);
    void this.#options.clock.sleep(pause).then(() => {
      this.#paused = false;
      resume();
    });
  }

  /** A request was answered: the episode, if any, is over. */
  answered(spoolSpans: number): void {
    if (!this.#kind) return;
    diag.info(
      `phoenix-connector: ${this.#options.sinkDescription} answers again after ${Math.round((this.#options.clock.now() - this.#since) / 1000)} s` +
        (spoolSpans > 0 ? `; replaying ${spoolSpans} spooled spans.` : "."),
    );
    this.#kind = undefined;
    this.#probeCeiling = this.#options.probeBackoff.initialMillis;
  }

  /** Once per episode: what is wrong, what to do, and where the spans go meanwhile. */
  #log(kind: Degradation, error: Error | undefined): void {
    const { sinkDescription: sink, spoolDirectory: spool, waiting } = this.#options;
    switch (kind) {
      case "unauthorized":
        // PhoenixAuthenticationError's message names the cause and the fix, never the key.
        diag.error(
          `phoenix-connector: ${error?.message ?? "Phoenix refused the API key (401/403)."} Until it is fixed, ` +
            (spool ? `spans go to the spool in ${spool}.` : "spans are dropped (configure spoolDir to keep them)."),
        );
        break;
      case "route-missing":
        diag.error(
          `phoenix-connector: ${sink} has no span route (${error?.message ?? "404"}): this Phoenix is older than 10.12. ` +
            `Set the transport option to "auto" or "otlp", or upgrade Phoenix. ` +
            (spool ? `Spans go to the spool in ${spool}.` : "Spans are dropped."),
        );
        break;
      case "unavailable":
        diag.warn(
          `phoenix-connector: ${sink} did not answer after every retry (${error?.message ?? "unavailable"}); ` +
            `${waiting}, and one request at a time checks whether Phoenix is back.`,
        );
        break;
    }
  }
}
