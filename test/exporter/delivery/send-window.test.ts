import { describe, expect, it } from "vitest";
import { MAX_TIMEOUT_MILLIS, SendWindow } from "../../../src/exporter/delivery/send-window.js";

describe("SendWindow: requests in flight follow Phoenix's answers", () => {
  it("stays wide while answers are fast, as on OTLP", () => {
    const window = new SendWindow(4, 20_000);
    for (let i = 0; i < 50; i++) window.answered(20 + (i % 5), false);
    expect(window.size).toBe(4);
  });

  it("narrows to one while Phoenix stalls (REST: seconds-long answers), and widens again when it recovers", () => {
    const window = new SendWindow(4, 20_000);
    for (let i = 0; i < 10; i++) window.answered(15, false);
    for (let i = 0; i < 4; i++) window.answered(3_000, false);
    expect(window.size).toBe(1);
    for (let i = 0; i < 3; i++) window.answered(20, false);
    expect(window.size).toBe(4);
  });

  it("an answer late only because this thread was busy (the application, a GC) does not narrow it; the timeout still follows the answer time", () => {
    const window = new SendWindow(4, 20_000);
    for (let i = 0; i < 10; i++) window.answered(15, false);
    // 3 s answers, 2,990 ms of which the thread was running: Phoenix answered in 10 ms.
    for (let i = 0; i < 4; i++) window.answered(3_000, false, 2_990);
    expect(window.size).toBe(4);
    expect(window.timeoutMillis).toBe(20_000);
    window.answered(9_000, false, 8_990);
    expect(window.timeoutMillis).toBe(27_000);
    // Busy for part of it only: the rest was a wait on Phoenix, which counts.
    for (let i = 0; i < 4; i++) window.answered(3_000, false, 1_000);
    expect(window.size).toBe(1);
  });

  it("halves on push-back (a request that needed retries) and collapses to one in an outage", () => {
    const window = new SendWindow(8, 20_000);
    window.answered(20, true);
    expect(window.size).toBe(4);
    window.collapse();
    expect(window.size).toBe(1);
  });

  it("the request timeout grows to three times the slowest recent answer, within [configured, 120 s]", () => {
    const window = new SendWindow(4, 20_000);
    expect(window.timeoutMillis).toBe(20_000);
    window.answered(14_400, false);
    expect(window.timeoutMillis).toBe(43_200);
    window.answered(100_000, false);
    expect(window.timeoutMillis).toBe(MAX_TIMEOUT_MILLIS);
    // Forgotten after 32 fast answers.
    for (let i = 0; i < 32; i++) window.answered(30, false);
    expect(window.timeoutMillis).toBe(20_000);
  });
});
