import { seededRandom } from "./faults.js";

/**
 * "Phoenix speed": the Phoenix stand-in answering and storing as slowly as a
 * real Phoenix 20.3 does under load (test/fixtures/phoenix/BEHAVIOUR.md,
 * "Speed under load, second measurement": 40 requests of 50 LLM spans of
 * about 1.5 KB, SQLite, a 2-core machine shared with the client).
 *
 *   startPhoenixServer({ speed: "phoenix" })                       // real time
 *   startPhoenixServer({ speed: { timeScale: 0.01, seed: 42 } })   // 100x faster
 *   startPhoenixServer({ speed: { timeScale: 0.01, maxSpansQueueSize: 100 } })
 *
 * Without `speed` the server answers at once, as it always did.
 *
 * All figures below are Phoenix's ("model") time. `timeScale` multiplies
 * every duration and divides every rate: at 0.01 a 5.1 s stall lasts 51 ms
 * and 100 spans/s stored becomes 10,000 spans/s. `server.speed.config` holds
 * the model figures, `server.speed.wall` the wall-clock ones.
 *
 * What is modelled, and from which line of BEHAVIOUR.md:
 *
 * - REST `POST /v1/projects/{p}/spans` is one ingest worker shared by every
 *   request ("REST answers stall for seconds at a time while Phoenix writes
 *   what it queued"; "more requests in flight do not make it faster"). It
 *   accepts requests quickly (a lognormal "fast" answer, median by
 *   concurrency `restFastMedianMillis`, default {1: 12, 4: 150, 8: 130} ms,
 *   so that the answer-time p50 is the measured 14 / 170 / 143 ms), and
 *   once it has accepted a drawn number of spans (lognormal, median
 *   `restSpansBeforeStall` 340, spread 0.4, times `restStallConcurrency`
 *   {1: 1, 4: 4, 8: 3.5}: with more senders more is queued between two
 *   writes) it stalls for as long as writing them takes at
 *   `restAcceptSpansPerSecond` (default 120: measured 110 / 129 / 97
 *   spans/s). Every request in flight during a stall, and every one arriving
 *   in it, is answered only after it: so one request in five to ten waits
 *   seconds (measured p90 2.5 s, max 5.1 s one at a time; p90 8.6 s with 4
 *   in flight; max 14.4 s with 8) and the accepted rate does not grow with
 *   concurrency. Simulated over 400 requests the defaults give p50/p90
 *   13 ms/2.1–2.5 s (1 in flight), 160 ms/6–9.7 s (4), 155 ms/11–12 s (8;
 *   measured 5.1 s: here every request in flight waits out the whole stall),
 *   110–125 spans/s accepted at each. The concurrency the worker sees is the
 *   number of requests its last stall held (deterministic for a closed-loop
 *   sender, unlike a count of sockets at an instant). The route has no
 *   back-pressure: it never answers 503 ("create_spans never checks Phoenix's
 *   ingest queue"); its spans join the ingest queue when answered.
 * - OTLP `POST /v1/traces` is a second serial worker: each request takes a
 *   lognormal time (median 21 ms, spread 0.36: p90 35 ms) or, with
 *   probability 0.035, a spike of 200–700 ms (max 0.7 s), so about 1,300
 *   spans/s are accepted. Both answer times are for 50-span requests and grow
 *   in proportion above 50 spans (`referenceBatchSpans`).
 * - Storage: one writer takes up to `writerBatchSpans` (1,000) spans from the
 *   FIFO ingest queue shared by both routes and stores them one after the
 *   other at `storageSpansPerSecond` (default 100; measured 60–130 REST,
 *   60–100 OTLP). A span is readable (GET spans/traces, `spans()`,
 *   `waitForSpans`) only once stored.
 * - Capacity: OTLP answers 503 with the captured body
 *   (`otlp-traces-503-at-capacity.txt`, text/plain, gzip-encoded, no
 *   Retry-After) while the spans waiting for the writer (not those in its
 *   batch) are `maxSpansQueueSize` or more (PHOENIX_MAX_SPANS_QUEUE_SIZE,
 *   default 20,000). The check is made when a request arrives and its spans
 *   join the queue when it is answered, so concurrent senders overshoot the
 *   capacity, as measured (16 requests of 50 accepted from 8 senders with a
 *   capacity of 100). It accepts again once the writer has taken the queue.
 * - A request whose client gave up (socket closed) is completed and its
 *   spans stored anyway ("a request timeout under about 15 s cuts off
 *   requests that Phoenix then completes").
 *
 * Randomness is a seeded PRNG (Mulberry32), one stream per route, so a run
 * is reproducible given the order in which requests arrive.
 */
export interface PhoenixSpeedOptions {
  /** Multiplies every duration, divides every rate. Default 1 (Phoenix's real speed). */
  timeScale?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Spans stored per second by the writer. Default 100. */
  storageSpansPerSecond?: number;
  /** Most spans the writer takes from the queue at once. Default 1,000. */
  writerBatchSpans?: number;
  /** PHOENIX_MAX_SPANS_QUEUE_SIZE. Default: the server's `ingestQueueCapacity`, else 20,000. */
  maxSpansQueueSize?: number;
  /** Cost of the REST worker's stalls: spans written per second of stall. Default 120. */
  restAcceptSpansPerSecond?: number;
  /** Median spans the REST worker accepts between two stalls, one sender at a time. Default 340. */
  restSpansBeforeStall?: number;
  /** Lognormal sigma of that number. Default 0.4. */
  restSpansBeforeStallSpread?: number;
  /** Factor on restSpansBeforeStall by concurrency (interpolated). Default {1: 1, 4: 4, 8: 3.5}. */
  restStallConcurrency?: Record<number, number>;
  /** Median of a REST answer outside stalls, by concurrency (interpolated). Default {1: 12, 4: 150, 8: 130}. */
  restFastMedianMillis?: Record<number, number>;
  /** Lognormal sigma of the fast REST answer. Default 0.5. */
  restFastSpread?: number;
  /** Median OTLP answer. Default 21 ms. */
  otlpMedianMillis?: number;
  /** Lognormal sigma of the OTLP answer. Default 0.36. */
  otlpSpread?: number;
  /** Probability of an OTLP answer spike. Default 0.035. */
  otlpSpikeProbability?: number;
  /** Range of an OTLP spike. Default [200, 700] ms. */
  otlpSpikeMillis?: [number, number];
  /** Request size the answer times are for; larger requests take proportionally longer. Default 50. */
  referenceBatchSpans?: number;
}

export type PhoenixSpeedOption = PhoenixSpeedOptions | "phoenix";

export type PhoenixSpeedConfig = Required<PhoenixSpeedOptions>;

export function resolveSpeed(option: PhoenixSpeedOption, fallbackCapacity?: number): PhoenixSpeedConfig {
  const o = option === "phoenix" ? {} : option;
  const config: PhoenixSpeedConfig = {
    timeScale: o.timeScale ?? 1,
    seed: o.seed ?? 1,
    storageSpansPerSecond: o.storageSpansPerSecond ?? 100,
    writerBatchSpans: o.writerBatchSpans ?? 1_000,
    maxSpansQueueSize: o.maxSpansQueueSize ?? fallbackCapacity ?? 20_000,
    restAcceptSpansPerSecond: o.restAcceptSpansPerSecond ?? 120,
    restSpansBeforeStall: o.restSpansBeforeStall ?? 340,
    restSpansBeforeStallSpread: o.restSpansBeforeStallSpread ?? 0.4,
    restStallConcurrency: o.restStallConcurrency ?? { 1: 1, 4: 4, 8: 3.5 },
    restFastMedianMillis: o.restFastMedianMillis ?? { 1: 12, 4: 150, 8: 130 },
    restFastSpread: o.restFastSpread ?? 0.5,
    otlpMedianMillis: o.otlpMedianMillis ?? 21,
    otlpSpread: o.otlpSpread ?? 0.36,
    otlpSpikeProbability: o.otlpSpikeProbability ?? 0.035,
    otlpSpikeMillis: o.otlpSpikeMillis ?? [200, 700],
    referenceBatchSpans: o.referenceBatchSpans ?? 50,
  };
  if (!(config.timeScale > 0)) throw new Error(`speed.timeScale must be > 0, got ${config.timeScale}`);
  if (!(config.storageSpansPerSecond > 0)) throw new Error("speed.storageSpansPerSecond must be > 0");
  if (!(config.restAcceptSpansPerSecond > 0)) throw new Error("speed.restAcceptSpansPerSecond must be > 0");
  return config;
}

/** The wall-clock equivalents of a config's rates. */
export function wallRates(config: PhoenixSpeedConfig) {
  return {
    storageSpansPerSecond: config.storageSpansPerSecond / config.timeScale,
    restAcceptSpansPerSecond: config.restAcceptSpansPerSecond / config.timeScale,
    /** Milliseconds of wall time per second of Phoenix time. */
    millisPerModelSecond: 1000 * config.timeScale,
  };
}

// ---------------------------------------------------------------- clocks

export interface SpeedTimer {
  readonly at: number;
}

/** Model time (Phoenix's milliseconds) and timers on it. */
export interface SpeedClock {
  now(): number;
  at(modelMillis: number, fn: () => void): SpeedTimer;
  cancel(timer: SpeedTimer | undefined): void;
  /** The shortest gap worth its own timer, in model milliseconds. */
  readonly granularity: number;
}

/** Wall-clock timers, model time = wall time / timeScale. `close()` clears every pending timer. */
export function realClock(timeScale: number): SpeedClock & { close(): void } {
  const origin = performance.now();
  const timers = new Map<SpeedTimer, NodeJS.Timeout>();
  const now = () => (performance.now() - origin) / timeScale;
  return {
    now,
    granularity: 4 / timeScale,
    at(modelMillis, fn) {
      const timer: SpeedTimer = { at: modelMillis };
      const handle = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, Math.max(0, (modelMillis - now()) * timeScale));
      timers.set(timer, handle);
      return timer;
    },
    cancel(timer) {
      if (!timer) return;
      const handle = timers.get(timer);
      if (handle) clearTimeout(handle);
      timers.delete(timer);
    },
    close() {
      for (const handle of timers.values()) clearTimeout(handle);
      timers.clear();
    },
  };
}

/** A simulated clock for exact, instant tests of the models: `run()` fires timers in time order. */
export class VirtualClock implements SpeedClock {
  readonly granularity = 1;
  #now = 0;
  #seq = 0;
  #queue: Array<{ at: number; seq: number; fn: () => void; timer: SpeedTimer }> = [];

  now(): number {
    return this.#now;
  }

  at(modelMillis: number, fn: () => void): SpeedTimer {
    const timer: SpeedTimer = { at: Math.max(modelMillis, this.#now) };
    const entry = { at: timer.at, seq: this.#seq++, fn, timer };
    let i = this.#queue.length;
    while (i > 0 && (this.#queue[i - 1]!.at > entry.at || (this.#queue[i - 1]!.at === entry.at && this.#queue[i - 1]!.seq > entry.seq))) i--;
    this.#queue.splice(i, 0, entry);
    return timer;
  }

  cancel(timer: SpeedTimer | undefined): void {
    const i = this.#queue.findIndex((e) => e.timer === timer);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  /** Fires timers until none is left (or `until` is reached). */
  run(until = Infinity): void {
    while (this.#queue.length > 0 && this.#queue[0]!.at <= until) {
      const entry = this.#queue.shift()!;
      this.#now = entry.at;
      entry.fn();
    }
    if (until !== Infinity) this.#now = Math.max(this.#now, until);
  }
}

// ---------------------------------------------------------------- draws

function lognormal(random: () => number, median: number, sigma: number): number {
  const u1 = 1 - random();
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}

/** Piecewise-linear in the table's keys, flat beyond its ends. */
export function interpolate(table: Record<number, number>, x: number): number {
  const keys = Object.keys(table).map(Number).sort((a, b) => a - b);
  if (keys.length === 0) throw new Error("empty table");
  if (x <= keys[0]!) return table[keys[0]!]!;
  for (let i = 1; i < keys.length; i++) {
    const hi = keys[i]!;
    if (x <= hi) {
      const lo = keys[i - 1]!;
      return table[lo]! + ((table[hi]! - table[lo]!) * (x - lo)) / (hi - lo);
    }
  }
  return table[keys.at(-1)!]!;
}

export interface ModelAnswer {
  /** Model time the request arrived and was answered. */
  arrivedAt: number;
  answeredAt: number;
  /** True when a REST stall held this answer. */
  stalled: boolean;
  /** The concurrency the worker assumed. */
  concurrency: number;
}

// ---------------------------------------------------------------- REST worker

interface RestTicket {
  arrivedAt: number;
  answerAt: number;
  stalled: boolean;
  concurrency: number;
  timer?: SpeedTimer;
  done: (answer: ModelAnswer) => void;
}

/** The REST create-spans worker: quick answers, then a stall shared by every request in flight. */
export class RestIngestWorker {
  readonly #clock: SpeedClock;
  readonly #config: PhoenixSpeedConfig;
  readonly #random: () => number;
  readonly #pending = new Set<RestTicket>();
  #accumulated = 0;
  #threshold: number;
  #stall: { end: number; waiters: number } | undefined;
  #concurrency = 1;
  stalls = 0;
  stalledMillis = 0;

  constructor(clock: SpeedClock, config: PhoenixSpeedConfig) {
    this.#clock = clock;
    this.#config = config;
    this.#random = seededRandom(config.seed);
    this.#threshold = this.#drawThreshold();
  }

  #drawThreshold(): number {
    return lognormal(this.#random, this.#config.restSpansBeforeStall, this.#config.restSpansBeforeStallSpread);
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** A request of `spans` spans to queue arrives now; `done` is called when it is answered. */
  arrive(spans: number, done: (answer: ModelAnswer) => void): void {
    const now = this.#clock.now();
    if (this.#stall && this.#stall.end <= now) {
      this.#concurrency = this.#stall.waiters;
      this.#stall = undefined;
    }
    const c = this.#concurrency;
    const size = Math.max(1, spans / this.#config.referenceBatchSpans);
    const fast = lognormal(this.#random, interpolate(this.#config.restFastMedianMillis, c), this.#config.restFastSpread) * size;
    const ticket: RestTicket = { arrivedAt: now, answerAt: now + fast, stalled: false, concurrency: c, done };
    this.#accumulated += spans;
    if (this.#stall) {
      this.#stall.waiters++;
      ticket.stalled = true;
      ticket.answerAt = this.#stall.end + fast;
    } else if (this.#accumulated >= this.#threshold * interpolate(this.#config.restStallConcurrency, c)) {
      const duration = (this.#accumulated * 1000) / this.#config.restAcceptSpansPerSecond;
      this.#stall = { end: now + duration, waiters: 1 };
      this.stalls++;
      this.stalledMillis += duration;
      this.#accumulated = 0;
      this.#threshold = this.#drawThreshold();
      for (const other of this.#pending) {
        this.#clock.cancel(other.timer);
        other.answerAt = this.#stall.end + (other.answerAt - now);
        other.stalled = true;
        this.#stall.waiters++;
        this.#schedule(other);
      }
      ticket.stalled = true;
      ticket.answerAt = this.#stall.end + fast;
    }
    this.#pending.add(ticket);
    this.#schedule(ticket);
  }

  #schedule(ticket: RestTicket): void {
    ticket.timer = this.#clock.at(ticket.answerAt, () => {
      this.#pending.delete(ticket);
      ticket.done({ arrivedAt: ticket.arrivedAt, answeredAt: ticket.answerAt, stalled: ticket.stalled, concurrency: ticket.concurrency });
    });
  }

  close(): void {
    for (const ticket of this.#pending) this.#clock.cancel(ticket.timer);
    this.#pending.clear();
  }
}

// ---------------------------------------------------------------- OTLP worker

/** The OTLP route: one request at a time, each a short lognormal time or a rare spike. */
export class OtlpIngestWorker {
  readonly #clock: SpeedClock;
  readonly #config: PhoenixSpeedConfig;
  readonly #random: () => number;
  readonly #timers = new Set<SpeedTimer>();
  #busyUntil = 0;

  constructor(clock: SpeedClock, config: PhoenixSpeedConfig) {
    this.#clock = clock;
    this.#config = config;
    this.#random = seededRandom((config.seed ^ 0x5bd1e995) >>> 0);
  }

  arrive(spans: number, done: (answer: ModelAnswer) => void): void {
    const now = this.#clock.now();
    const c = this.#config;
    const spike = this.#random() < c.otlpSpikeProbability;
    const base = spike
      ? c.otlpSpikeMillis[0] + this.#random() * (c.otlpSpikeMillis[1] - c.otlpSpikeMillis[0])
      : lognormal(this.#random, c.otlpMedianMillis, c.otlpSpread);
    const start = Math.max(now, this.#busyUntil);
    this.#busyUntil = start + base * Math.max(1, spans / c.referenceBatchSpans);
    const answerAt = this.#busyUntil;
    const timer = this.#clock.at(answerAt, () => {
      this.#timers.delete(timer);
      done({ arrivedAt: now, answeredAt: answerAt, stalled: false, concurrency: 1 });
    });
    this.#timers.add(timer);
  }

  close(): void {
    for (const timer of this.#timers) this.#clock.cancel(timer);
    this.#timers.clear();
  }
}

// ---------------------------------------------------------------- storage

/** Phoenix's ingest queue and its single writer, storing at a fixed rate. */
export class IngestQueue<T> {
  readonly #clock: SpeedClock;
  readonly #perSpan: number;
  readonly #batchMax: number;
  readonly #store: (items: T[]) => void;
  #waiting: T[] = [];
  #batch: T[] = [];
  #stored = 0;
  #batchStart = 0;
  #timer: SpeedTimer | undefined;
  peakDepth = 0;

  constructor(clock: SpeedClock, spansPerSecond: number, batchMax: number, store: (items: T[]) => void) {
    this.#clock = clock;
    this.#perSpan = 1000 / spansPerSecond;
    this.#batchMax = Math.max(1, batchMax);
    this.#store = store;
  }

  /** Spans waiting for the writer (what Phoenix's capacity check counts). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Spans accepted and not stored yet (waiting plus the writer's batch). */
  get depth(): number {
    return this.#waiting.length + this.#batch.length - this.#stored;
  }

  push(items: T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.#waiting.push(item);
    this.peakDepth = Math.max(this.peakDepth, this.depth);
    if (this.#batch.length === 0) this.#take(this.#clock.now());
  }

  #take(start: number): void {
    this.#batch = this.#waiting.splice(0, this.#batchMax);
    this.#stored = 0;
    this.#batchStart = start;
    this.#tick();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    const due = Math.min(this.#batch.length, Math.floor((now - this.#batchStart) / this.#perSpan + 1e-9));
    if (due > this.#stored) {
      const items = this.#batch.slice(this.#stored, due);
      this.#stored = due;
      this.#store(items);
    }
    if (this.#stored >= this.#batch.length) {
      const end = this.#batchStart + this.#batch.length * this.#perSpan;
      this.#batch = [];
      this.#stored = 0;
      if (this.#waiting.length > 0) this.#take(end);
      return;
    }
    const next = this.#batchStart + (this.#stored + 1) * this.#perSpan;
    this.#timer = this.#clock.at(Math.max(next, now + this.#clock.granularity), () => this.#tick());
  }

  close(): void {
    this.#clock.cancel(this.#timer);
    this.#timer = undefined;
  }
}

/** p-th quantile (0..1) of numbers, nearest rank. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
