import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import type { Clock } from "../../src/http/clock.js";

/**
 * A clock whose sleeps return at once and move its time forward by the
 * amount slept: retries and bounded waits run in microseconds of real time
 * while the code under test sees the full backoff.
 */
export interface FakeClock extends Clock {
  readonly sleeps: number[];
  elapsed(): number;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (millis) => {
      sleeps.push(millis);
      now += millis;
      // Let the event loop turn, so that server-side work (insertion) can progress.
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: () => 0.5,
    elapsed: () => now - start,
  };
}

/** No PHOENIX_* variable (nor a .env.phoenix file) leaks into a test. */
export function isolatePhoenixEnvironment(): void {
  for (const name of [
    "PHOENIX_COLLECTOR_ENDPOINT",
    "PHOENIX_API_KEY",
    "PHOENIX_CLIENT_HEADERS",
    "PHOENIX_PROJECT",
    "PHOENIX_PROJECT_NAME",
    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_BSP_SCHEDULE_DELAY",
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv("PHOENIX_DISCOVER_CONFIG", "false");
}

/** A fresh temporary directory and its clean-up. */
export function temporaryDirectory(prefix = "phoenix-connector-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export const HEX32 = /^[0-9a-f]{32}$/;
export const HEX16 = /^[0-9a-f]{16}$/;
