import { SingleBar } from "cli-progress";
import type { CliOutput } from "./output.js";

/** Progress of a long command: a bar on a terminal, plain lines (at most one a second) otherwise. */
export interface ProgressReporter {
  /** `value` out of the total (when there is one); `status` says what was done so far. */
  update(value: number, status: string): void;
  stop(): void;
}

const PLAIN_LINE_INTERVAL_MILLIS = 1_000;

export function progressReporter(output: CliOutput, label: string, total?: number): ProgressReporter {
  if (output.stderrIsTTY) {
    const bar = new SingleBar({
      stream: output.progressStream,
      format: total === undefined ? `${label} {status}` : `${label} [{bar}] {percentage}% | {status}`,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    });
    bar.start(total ?? 1, 0, { status: "" });
    let stopped = false;
    return {
      update: (value, status) => {
        if (!stopped) bar.update(total === undefined ? 0 : Math.min(value, total), { status });
      },
      stop: () => {
        if (!stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  let pending: string | undefined;
  const line = (value: number, status: string) =>
    total === undefined || total === 0 ? `${label}: ${status}\n` : `${label}: ${Math.floor((Math.min(value, total) / total) * 100)}% ${status}\n`;
  return {
    update(value, status) {
      const now = Date.now();
      if (now - last >= PLAIN_LINE_INTERVAL_MILLIS) {
        output.err(line(value, status));
        last = now;
        pending = undefined;
      } else {
        pending = line(value, status);
      }
    },
    stop() {
      // The last state is always shown.
      if (pending !== undefined) output.err(pending);
      pending = undefined;
    },
  };
}
