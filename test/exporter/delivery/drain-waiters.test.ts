import { describe, expect, it } from "vitest";
import { DrainWaiters } from "../../../src/exporter/delivery/drain-waiters.js";

describe("DrainWaiters (the deadline of a flush or shutdown)", () => {
  it("resolves true as soon as the queue is idle", async () => {
    const waiters = new DrainWaiters();
    const wait = waiters.wait({ progressMillis: 60_000, capMillis: Infinity }, () => false);
    waiters.idle();
    await expect(wait).resolves.toBe(true);
  });

  it("gives up after progressMillis of silence, but not while Phoenix keeps acknowledging", async () => {
    const waiters = new DrainWaiters();
    const started = Date.now();
    const wait = waiters.wait({ progressMillis: 40, capMillis: Infinity }, () => false);
    // Acknowledgements every 10 ms for 100 ms keep the wait alive past 40 ms.
    const ticker = setInterval(() => waiters.progress(), 10);
    setTimeout(() => clearInterval(ticker), 100);
    await expect(wait).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("does not count the exporter's own work as Phoenix's silence", async () => {
    const waiters = new DrainWaiters();
    const started = Date.now();
    const wait = waiters.wait({ progressMillis: 30, capMillis: Infinity }, () => false);
    waiters.credit(60);
    await expect(wait).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
  });

  it("waits at least as long as a request in flight may take (a stalled answer still due is not silence)", async () => {
    const waiters = new DrainWaiters();
    const started = Date.now();
    await expect(waiters.wait({ progressMillis: 10, capMillis: Infinity }, () => false, () => 80)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(78);
  });

  it("stops at the cap even while Phoenix makes progress", async () => {
    const waiters = new DrainWaiters();
    const ticker = setInterval(() => waiters.progress(), 5);
    const started = Date.now();
    await expect(waiters.wait({ progressMillis: 1_000, capMillis: 40 }, () => false)).resolves.toBe(false);
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("with untilDown, gives up once Phoenix is known to be down", async () => {
    const waiters = new DrainWaiters();
    let down = false;
    const wait = waiters.wait({ progressMillis: 60_000, capMillis: Infinity, untilDown: true }, () => down);
    down = true;
    waiters.check();
    await expect(wait).resolves.toBe(false);
  });
});

describe("DrainWaiters, this thread busy", () => {
  it("a thread blocked past the deadline is not Phoenix's silence, and busy time already credited is not counted twice", async () => {
    const waiters = new DrainWaiters();
    const started = Date.now();
    const wait = waiters.wait({ progressMillis: 30, capMillis: Infinity }, () => false);
    // Block the thread for 200 ms (as mapping a burst does) and credit it, as the queue does.
    const blockedUntil = Date.now() + 200;
    while (Date.now() < blockedUntil);
    waiters.credit(200);
    await expect(wait).resolves.toBe(false);
    const elapsed = Date.now() - started;
    // Credited once: 30 ms of silence after the 200 ms block (about 230 ms), not the block twice (about 430 ms).
    expect(elapsed).toBeGreaterThanOrEqual(225);
    expect(elapsed).toBeLessThan(400);
  });
});
