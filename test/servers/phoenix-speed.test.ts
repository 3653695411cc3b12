import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { encodeOtlpTraceRequest, hexToBase64 } from "./otlp-proto.js";
import { startPhoenixServer, type PhoenixTestServer, type PhoenixTestServerOptions } from "./phoenix-server.js";
import { OtlpIngestWorker, RestIngestWorker, VirtualClock, quantile, resolveSpeed, type PhoenixSpeedOptions } from "./phoenix-speed.js";

/**
 * "Phoenix speed" (phoenix-speed.ts) against BEHAVIOUR.md's "Speed under
 * load". The distributions are checked on the model with a virtual clock
 * (exact and instant); the server tests check the wiring over real sockets,
 * asserting the server's own counters and clock, with time scaled down.
 */

// ------------------------------------------------------------ the model, virtual time

/** `inFlight` closed-loop senders, `requests` requests of `spans` spans in all; model answer times and accepted rate. */
function simulate(worker: "rest" | "otlp", inFlight: number, requests: number, options: PhoenixSpeedOptions = {}, spans = 50) {
  const clock = new VirtualClock();
  const config = resolveSpeed({ seed: 42, ...options });
  const w = worker === "rest" ? new RestIngestWorker(clock, config) : new OtlpIngestWorker(clock, config);
  const millis: number[] = [];
  let sent = 0;
  let last = 0;
  const send = () => {
    if (sent >= requests) return;
    sent++;
    w.arrive(spans, (a) => {
      millis.push(a.answeredAt - a.arrivedAt);
      last = a.answeredAt;
      clock.at(clock.now() + 0.5, send); // the sender's own turnaround
    });
  };
  for (let i = 0; i < inFlight; i++) send();
  clock.run();
  return { millis, p50: quantile(millis, 0.5), p90: quantile(millis, 0.9), max: Math.max(...millis), spansPerSecond: (requests * spans) / (last / 1000) };
}

describe("Phoenix speed model (BEHAVIOUR.md, Speed under load)", () => {
  it("REST answer times are bimodal as measured: one in flight p50 14 ms, p90 2.5 s", () => {
    const one = simulate("rest", 1, 400);
    expect(one.p50).toBeGreaterThan(8);
    expect(one.p50).toBeLessThan(25);
    expect(one.p90).toBeGreaterThan(1_500);
    expect(one.p90).toBeLessThan(4_000);
    // Bimodal: almost nothing between 200 ms and 1 s, one answer in five to ten in seconds.
    const slow = one.millis.filter((m) => m > 1_000).length / one.millis.length;
    expect(slow).toBeGreaterThan(0.08);
    expect(slow).toBeLessThan(0.25);
    expect(one.millis.filter((m) => m > 200 && m < 1_000).length / one.millis.length).toBeLessThan(0.05);
  });

  it("REST answer times with four in flight: p50 170 ms, p90 8.6 s", () => {
    const four = simulate("rest", 4, 400);
    expect(four.p50).toBeGreaterThan(100);
    expect(four.p50).toBeLessThan(260);
    expect(four.p90).toBeGreaterThan(5_000);
    expect(four.p90).toBeLessThan(13_000);
  });

  it("is seeded: the same seed gives the same answers, another seed others", () => {
    expect(simulate("rest", 4, 100, { seed: 7 }).millis).toEqual(simulate("rest", 4, 100, { seed: 7 }).millis);
    expect(simulate("rest", 4, 100, { seed: 7 }).millis).not.toEqual(simulate("rest", 4, 100, { seed: 8 }).millis);
  });

  it("more REST requests in flight do not accept spans faster (about 110-130 spans/s)", () => {
    const rates = [1, 4, 8].map((n) => simulate("rest", n, 400).spansPerSecond);
    for (const rate of rates) {
      expect(rate).toBeGreaterThan(95);
      expect(rate).toBeLessThan(135);
    }
    expect(rates[1]!).toBeLessThan(rates[0]! * 1.15);
    expect(rates[2]!).toBeLessThan(rates[0]! * 1.15);
    // And the limit is the worker's cost per span, not the answer draws.
    expect(simulate("rest", 4, 400, { restAcceptSpansPerSecond: 60 }).spansPerSecond).toBeLessThan(65);
  });

  it("OTLP answers fast (p50 21 ms, p90 35 ms, max 0.7 s), about 1,300 spans/s", () => {
    const otlp = simulate("otlp", 1, 400);
    expect(otlp.p50).toBeGreaterThan(15);
    expect(otlp.p50).toBeLessThan(28);
    expect(otlp.p90).toBeGreaterThan(25);
    expect(otlp.p90).toBeLessThan(50);
    expect(otlp.max).toBeLessThanOrEqual(700 + 1e-9);
    expect(otlp.spansPerSecond).toBeGreaterThan(1_000);
    expect(otlp.spansPerSecond).toBeLessThan(1_800);
    // One worker: four senders share it.
    expect(simulate("otlp", 4, 400).spansPerSecond).toBeLessThan(otlp.spansPerSecond * 1.1);
  });
});

// ------------------------------------------------------------ the server, real sockets

let server: PhoenixTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: PhoenixTestServerOptions): Promise<PhoenixTestServer> {
  server = await startPhoenixServer(options);
  return server;
}

let nextId = 1;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
function restSpans(count: number) {
  return Array.from({ length: count }, () => {
    const id = nextId++;
    return {
      name: `llm-${id}`,
      context: { trace_id: hex(id, 32), span_id: hex(id, 16) },
      span_kind: "LLM",
      parent_id: null,
      start_time: "2026-12-03T12:00:00Z",
      end_time: "2026-12-03T12:00:01Z",
      status_code: "OK",
      status_message: "",
      attributes: { "llm.model_name": "gpt-4o" },
      events: [],
    };
  });
}

function otlpBody(count: number): Uint8Array {
  const spans = Array.from({ length: count }, () => {
    const id = nextId++;
    return {
      trace_id: hexToBase64(hex(id, 32)),
      span_id: hexToBase64(hex(id, 16)),
      name: `otlp-${id}`,
      start_time_unix_nano: "1796299200000000000",
      end_time_unix_nano: "1796299201000000000",
      attributes: [{ key: "openinference.span.kind", value: { string_value: "LLM" } }],
    };
  });
  return encodeOtlpTraceRequest({ resource_spans: [{ resource: { attributes: [{ key: "openinference.project.name", value: { string_value: "speed" } }] }, scope_spans: [{ spans }] }] });
}

async function postRest(s: PhoenixTestServer, data: unknown[], signal?: AbortSignal) {
  const res = await request(`${s.url}/v1/projects/speed/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data }), signal });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

async function postOtlp(s: PhoenixTestServer, count: number) {
  const res = await request(`${s.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: otlpBody(count) });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** `inFlight` senders posting `perSender` requests of `spans` REST spans each, one after the other. */
async function restLoad(s: PhoenixTestServer, inFlight: number, perSender: number, spans = 50) {
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = 0; i < perSender; i++) expect((await postRest(s, restSpans(spans))).status).toBe(202);
    }),
  );
}

describe("Phoenix test server at Phoenix speed (real sockets, scaled time)", () => {
  it("REST: stalls hold every request in flight, and four senders accept no faster than one", async () => {
    const rate = async (inFlight: number) => {
      // 0.04: the senders' own turnaround (a millisecond or two of wall time) stays small in Phoenix time.
      const s = await start({ speed: { timeScale: 0.04, seed: 42 } });
      const t0 = s.speed!.now();
      await restLoad(s, inFlight, 80 / inFlight);
      const answers = s.speed!.answers;
      expect(answers).toHaveLength(80);
      expect(s.counters.spansAcceptedRest).toBe(80 * 50);
      expect(s.speed!.restStalls).toBeGreaterThan(0);
      // While a stall lasts nobody is answered: the held answers come at or after its end, together.
      if (inFlight > 1) {
        const held = answers.filter((a) => a.stalled && a.millis > 1_000);
        expect(held.length).toBeGreaterThanOrEqual(inFlight);
      }
      const perSecond = (80 * 50) / ((s.speed!.now() - t0) / 1000);
      await s.close();
      server = undefined;
      return perSecond;
    };
    const one = await rate(1);
    const four = await rate(4);
    // The sender's own overhead only slows things down, so the bound above is firm.
    expect(one).toBeLessThan(150);
    expect(four).toBeLessThan(150);
    expect(four).toBeLessThan(one * 1.35);
    expect(one).toBeGreaterThan(50);
  }, 30_000);

  it("the server's answers follow the seeded model: p50 and p90 for one in flight", async () => {
    const s = await start({ speed: { timeScale: 0.01, seed: 42 } });
    await restLoad(s, 1, 60);
    const millis = s.speed!.answers.map((a) => a.millis);
    const model = simulate("rest", 1, 60).millis;
    // One sender: the model sees the same arrivals in the same order, so the same draws.
    expect(millis).toHaveLength(model.length);
    millis.forEach((m, i) => expect(m).toBeCloseTo(model[i]!, 6));
    expect(quantile(millis, 0.5)).toBeLessThan(30);
    expect(quantile(millis, 0.9)).toBeGreaterThan(1_000);
  }, 30_000);

  it("spans become readable only as fast as Phoenix stores them", async () => {
    // 20 spans/s stored: 500 spans are 25 s of Phoenix time, 500 ms here.
    const s = await start({ speed: { timeScale: 0.02, storageSpansPerSecond: 20 } });
    const seen: Array<{ at: number; stored: number }> = [];
    s.events.on("spans", (stored: number) => seen.push({ at: s.speed!.now(), stored }));
    const t0 = s.speed!.now();
    const sent = await Promise.all(Array.from({ length: 10 }, () => postOtlp(s, 50)));
    expect(sent.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(s.counters.spansAcceptedOtlp).toBe(500);
    // OTLP accepts far faster than Phoenix stores: most spans are still queued.
    expect(s.counters.queueDepth).toBeGreaterThan(250);
    const read = await request(`${s.url}/v1/projects/speed/spans?limit=1000`);
    expect(((await read.body.json()) as { data: unknown[] }).data.length).toBeLessThan(250);
    await s.waitForSpans(500, 10_000);
    // 500 spans at 20/s is at least 25 s of Phoenix time, and storage is never ahead of the rate.
    expect(s.speed!.now() - t0).toBeGreaterThan(24_500);
    expect(seen.length).toBeGreaterThan(5);
    for (const { at, stored } of seen) expect(stored).toBeLessThanOrEqual(((at - t0) / 1000) * 20 + 1);
    expect(s.counters.spansStored).toBe(500);
    expect(s.counters.queueDepth).toBe(0);
    expect(s.counters.peakQueueDepth).toBeGreaterThan(250);
  }, 30_000);

  it("OTLP answers 503 past PHOENIX_MAX_SPANS_QUEUE_SIZE with the captured body, gzip, no Retry-After; REST still 202; OTLP again once drained", async () => {
    // 1 span/s stored: the writer's first batch of 50 takes 50 s of Phoenix time (500 ms here).
    const s = await start({ speed: { timeScale: 0.01, maxSpansQueueSize: 100, storageSpansPerSecond: 1 } });
    const statuses: number[] = [];
    let rejected: Awaited<ReturnType<typeof postOtlp>> | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await postOtlp(s, 50);
      statuses.push(res.status);
      if (res.status === 503) rejected = res;
    }
    // The first 50 are in the writer's batch, the next 100 fill the queue.
    expect(statuses).toEqual([200, 200, 200, 503]);
    const captured = readFileSync(new URL("../fixtures/phoenix/otlp-traces-503-at-capacity.txt", import.meta.url));
    expect(rejected!.headers["content-encoding"]).toBe("gzip");
    expect(String(rejected!.headers["content-type"])).toMatch(/^text\/plain/);
    expect(rejected!.headers["retry-after"]).toBeUndefined();
    expect(gunzipSync(rejected!.body).equals(captured)).toBe(true);
    expect(s.counters.rejectedAtCapacity).toBe(1);
    // The REST route never looks at the queue.
    expect((await postRest(s, restSpans(5))).status).toBe(202);
    expect(s.speed!.waitingSpans).toBeGreaterThanOrEqual(100);
    // Once the writer has taken the queue, OTLP accepts again.
    await s.waitForSpans(50, 10_000);
    expect(s.speed!.waitingSpans).toBe(0);
    expect((await postOtlp(s, 50)).status).toBe(200);
    expect(s.counters.rejectedAtCapacity).toBe(1);
  }, 30_000);

  it("a request its client cut off is completed and stored; the retry is the duplicate 400", async () => {
    // Every REST request stalls: 10 spans at 1 span/s is 10 s of Phoenix time, 500 ms here.
    const s = await start({ speed: { timeScale: 0.05, restSpansBeforeStall: 1, restAcceptSpansPerSecond: 1 } });
    const batch = restSpans(10);
    await expect(postRest(s, batch, AbortSignal.timeout(50))).rejects.toThrow();
    expect(s.counters.spansStored).toBe(0);
    await s.waitForSpans(10, 10_000);
    expect(s.spans("speed").map((x) => x.context.span_id)).toEqual(batch.map((b) => b.context.span_id));
    expect(s.counters.clientDisconnects).toBe(1);
    expect(s.speed!.answers[0]).toMatchObject({ route: "rest", status: 202, clientGone: true, stalled: true });
    expect(s.counters.spansAcceptedRest).toBe(10);
    // The server survived writing to the closed socket, and Phoenix refuses the retry.
    const retry = await postRest(s, batch);
    expect(retry.status).toBe(400);
    expect(JSON.parse(retry.text).total_duplicates).toBe(10);
  }, 30_000);

  it("close() stops every pending timer at once", async () => {
    const s = await start({ speed: { timeScale: 0.01, restSpansBeforeStall: 1, restAcceptSpansPerSecond: 1, storageSpansPerSecond: 1 } });
    const pending = postRest(s, restSpans(10)).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 20));
    const waiting = s.waitForSpans(10, 60_000).catch((error: unknown) => error);
    const started = performance.now();
    await s.close();
    server = undefined;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await waiting).toBeInstanceOf(Error);
    expect(await pending).toBeInstanceOf(Error);
    // The stall (10 s of Phoenix time, 100 ms here) would have ended by now: nothing fired.
    await new Promise((r) => setTimeout(r, 150));
    expect(s.speed!.answers).toHaveLength(0);
    expect(s.counters.spansStored).toBe(0);
  });

  it("default mode is unchanged: no speed state, answers at once, readable at once", async () => {
    const s = await start({});
    expect(s.speed).toBeUndefined();
    const started = performance.now();
    // At Phoenix speed these 2,000 spans would take about 17 s to be accepted.
    await restLoad(s, 1, 40);
    expect(performance.now() - started).toBeLessThan(5_000);
    await s.waitForSpans(2_000, 2_000);
    expect(s.counters.spansAccepted).toBe(2_000);
    expect(s.counters.spansStored).toBe(2_000);
    expect(s.counters.rejectedAtCapacity).toBe(0);
    expect((await postOtlp(s, 50)).status).toBe(200);
  }, 30_000);
});
