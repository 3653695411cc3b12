import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Credentials } from "../../src/config/credentials.js";
import { HttpTransport } from "../../src/http/http-transport.js";
import { RetryingTransport } from "../../src/http/retrying-transport.js";
import type { Clock } from "../../src/http/clock.js";
import { parseRetryAfter } from "../../src/http/retry-after.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";

/** A clock whose sleeps return at once and are recorded. */
function fakeClock(random = 0.5): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => random,
  };
}

let server: PhoenixTestServer;
let http: HttpTransport;
beforeEach(async () => {
  server = await startPhoenixServer();
  http = new HttpTransport({ baseUrl: server.url, credentials: new Credentials("the-key", undefined, "option") });
});
afterEach(async () => {
  await http.shutdown();
  await server.close();
});

const GET = { method: "GET" as const, path: "/v1/projects" };

describe("HttpTransport", () => {
  it("classifies statuses: 2xx success, 408/429/5xx retryable, other 4xx failure", async () => {
    const statuses = [200, 408, 429, 500, 502, 503, 504, 400, 401, 403, 404, 413, 422];
    for (const status of statuses) {
      server.faults.splice(0, server.faults.length, () => (status === 200 ? undefined : { kind: "respond", status }));
      const response = await http.send(GET, 2_000);
      const expected = status === 200 ? "success" : [408, 429, 500, 502, 503, 504].includes(status) ? "retryable" : "failure";
      expect([status, response.status]).toEqual([status, expected]);
    }
  });

  it("reads Retry-After in seconds and as an HTTP date", async () => {
    server.faults.push(() => ({ kind: "respond", status: 429, headers: { "retry-after": "7" } }));
    const response = await http.send(GET, 2_000);
    expect(response).toMatchObject({ status: "retryable", retryAfterMillis: 7_000 });
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    // Not delta-seconds (which are whole) and not a date, though Date.parse would read it as one.
    expect(parseRetryAfter("1.5")).toBeUndefined();
  });

  it("a connection reset and a stall past the timeout are retryable", async () => {
    server.faults.push(({ attempt }) => (attempt === 1 ? { kind: "reset" } : { kind: "stall" }));
    expect((await http.send(GET, 2_000)).status).toBe("retryable");
    const stalled = await http.send(GET, 50);
    expect(stalled.status).toBe("retryable");
    expect(stalled.status === "retryable" && stalled.error.message).toMatch(/timed out after 50 ms/);
  });

  it("reads Phoenix's 503 at capacity as it sends it, gzip-encoded: the error quotes its text", async () => {
    server.faults.push(({ path }) =>
      path === GET.path
        ? {
            kind: "respond",
            status: 503,
            body: gzipSync("Server is at capacity and cannot process more requests"),
            headers: { "content-encoding": "gzip", "content-type": "text/plain; charset=utf-8" },
          }
        : undefined,
    );
    const response = await http.send(GET, 2_000);
    expect(response).toMatchObject({ status: "retryable", statusCode: 503 });
    expect(response.status === "retryable" && response.error.message).toBe("HTTP 503: Server is at capacity and cannot process more requests");
  });

  it("a refused connection is retryable and its message names no key", async () => {
    const port = server.port;
    await server.close();
    const dead = new HttpTransport({ baseUrl: `http://127.0.0.1:${port}`, credentials: new Credentials("the-key", undefined, "option") });
    const response = await dead.send(GET, 1_000);
    expect(response.status).toBe("retryable");
    expect(JSON.stringify(response)).not.toContain("the-key");
    await dead.shutdown();
    server = await startPhoenixServer();
  });
});

describe("RetryingTransport", () => {
  it("retries 503 with full-jitter exponential backoff until success", async () => {
    server.faults.push(({ attempt }) => (attempt <= 3 ? { kind: "respond", status: 503 } : undefined));
    const clock = fakeClock(0.5);
    const retrying = new RetryingTransport(http, { initialBackoffMillis: 100 }, clock);
    const response = await retrying.send(GET, 2_000);
    expect(response.status).toBe("success");
    // Ceilings 100, 200, 400 with random 0.5.
    expect(clock.slept).toEqual([50, 100, 200]);
  });

  it("honours Retry-After over the backoff", async () => {
    server.faults.push(({ attempt }) => (attempt === 1 ? { kind: "respond", status: 429, headers: { "retry-after": "3" } } : undefined));
    const clock = fakeClock();
    const response = await new RetryingTransport(http, {}, clock).send(GET, 2_000);
    expect(response.status).toBe("success");
    expect(clock.slept).toEqual([3_000]);
  });

  it("does not retry a failure (401, 400)", async () => {
    server.faults.push(() => ({ kind: "respond", status: 401, body: "Invalid token" }));
    const clock = fakeClock();
    const response = await new RetryingTransport(http, {}, clock).send(GET, 2_000);
    expect(response).toMatchObject({ status: "failure", statusCode: 401 });
    expect(clock.slept).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("stops at maxAttempts and at the deadline, returning the last retryable answer", async () => {
    server.faults.push(() => ({ kind: "respond", status: 503 }));
    const byAttempts = await new RetryingTransport(http, { maxAttempts: 3 }, fakeClock()).send(GET, 2_000);
    expect(byAttempts).toMatchObject({ status: "retryable", statusCode: 503 });
    expect(server.requests).toHaveLength(3);
    const clock = fakeClock(0.99);
    await new RetryingTransport(http, { maxAttempts: 100, initialBackoffMillis: 1_000, deadlineMillis: 5_000 }, clock).send(GET, 2_000);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
  });

  it("a Retry-After longer than allowed ends the retries", async () => {
    server.faults.push(() => ({ kind: "respond", status: 503, headers: { "retry-after": "3600" } }));
    const clock = fakeClock();
    const response = await new RetryingTransport(http, { maxRetryAfterMillis: 60_000 }, clock).send(GET, 2_000);
    expect(response).toMatchObject({ status: "retryable", retryAfterMillis: 3_600_000 });
    expect(clock.slept).toEqual([]);
  });
});

describe("RetryingTransport, cancelled and woken", () => {
  it("a cancelled request stops at once, mid-backoff, without another attempt", async () => {
    server.faults.push(() => ({ kind: "respond", status: 503 }));
    const controller = new AbortController();
    // A clock whose sleeps never end: only the cancellation can end the wait.
    const clock: Clock = { now: () => 0, sleep: () => new Promise(() => undefined), random: () => 0.5 };
    const pending = new RetryingTransport(http, {}, clock).send({ ...GET, signal: controller.signal }, 2_000);
    await new Promise((resolve) => server.events.once("request", resolve));
    controller.abort();
    expect(await pending).toMatchObject({ status: "failure", aborted: true, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("a cancelled request in flight is abandoned and says so", async () => {
    server.faults.push(() => ({ kind: "stall" }));
    const controller = new AbortController();
    const pending = http.send({ ...GET, signal: controller.signal }, 10_000);
    await new Promise((resolve) => server.events.once("request", resolve));
    controller.abort();
    expect(await pending).toMatchObject({ status: "failure", aborted: true });
  });

  it("at capacity, each request that gets through wakes one sleeping in backoff, not all: one refusal per acceptance, not one per sleeper", async () => {
    let room = 0;
    let refused = 0;
    let accepted = 0;
    server.faults.push(({ path }) => {
      if (path !== "/v1/projects") return undefined;
      if (room > 0) {
        room--;
        accepted++;
        return undefined;
      }
      refused++;
      return { kind: "respond", status: 503 };
    });
    const sleeps: number[] = [];
    const clock: Clock = { now: () => 0, sleep: (ms) => (sleeps.push(ms), new Promise(() => undefined)), random: () => 0.99 };
    const retrying = new RetryingTransport(http, { initialBackoffMillis: 60_000, maxBackoffMillis: 60_000, deadlineMillis: 600_000 }, clock);
    const senders = Array.from({ length: 4 }, () => retrying.send(GET, 2_000));
    while (sleeps.length < 4) await new Promise((resolve) => setImmediate(resolve));
    expect(refused).toBe(4);
    // Phoenix's writer frees room for one request; another request's success tells the sleepers.
    room = 1;
    expect((await retrying.send({ method: "GET", path: "/healthz" }, 2_000)).status).toBe("success");
    await senders[0];
    // The woken one got through and woke the next, which found no room and sleeps again; two never woke.
    while (sleeps.length < 5) await new Promise((resolve) => setImmediate(resolve));
    expect({ accepted, refused }).toEqual({ accepted: 1, refused: 5 });
  });

  it("when one request gets through, one sleeping in backoff tries again at once (but a Retry-After is honoured)", async () => {
    let down = true;
    server.faults.push(({ path }) => (down && path === "/v1/projects" ? { kind: "respond", status: 503 } : undefined));
    server.faults.push(({ path }) => (path === "/v1/limited" ? { kind: "respond", status: 429, headers: { "retry-after": "30" } } : undefined));
    const sleeps: number[] = [];
    // Backoffs that would last until the test times out, unless woken.
    const clock: Clock = { now: () => 0, sleep: (ms) => (sleeps.push(ms), new Promise(() => undefined)), random: () => 0.99 };
    const retrying = new RetryingTransport(http, { initialBackoffMillis: 60_000, maxBackoffMillis: 60_000, deadlineMillis: 600_000 }, clock);
    const sleeper = retrying.send(GET, 2_000);
    let limitedDone = false;
    void retrying.send({ method: "GET", path: "/v1/limited" }, 2_000).then(() => (limitedDone = true));
    while (sleeps.length < 2) await new Promise((resolve) => setImmediate(resolve));
    down = false;
    expect((await retrying.send({ method: "GET", path: "/healthz" }, 2_000)).status).toBe("success");
    expect(await sleeper).toMatchObject({ status: "success", attempts: 2 });
    // The server asked the rate-limited request to wait 30 s: it still does.
    expect(sleeps).toContain(30_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(limitedDone).toBe(false);
  });
});

