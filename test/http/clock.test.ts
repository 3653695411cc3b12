import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { REAL_CLOCK } from "../../src/http/clock.js";

describe("REAL_CLOCK.busyMillis: the time this thread ran, not waited", () => {
  it("grows by the time the thread runs, and hardly while it waits for I/O or a timer", async () => {
    const busy = REAL_CLOCK.busyMillis!;
    const start = busy();
    const until = performance.now() + 40;
    while (performance.now() < until) {
      // the thread is held, as an application's synchronous work or a GC holds it
    }
    const ran = busy() - start;
    const beforeWait = busy();
    await sleep(40);
    const waited = busy() - beforeWait;
    expect(ran).toBeGreaterThanOrEqual(39);
    // A busy machine may take the CPU from us during the wait; the event loop still counts the wait as idle.
    expect(waited).toBeLessThan(20);
  });
});
