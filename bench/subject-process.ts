/**
 * One measured run of one subject, in a process of its own (forked by
 * bench/run.ts), so that each subject starts from a fresh heap and its peak
 * memory is its own: generate the seeded workload, warm up (JIT, sockets),
 * then measure handing `spans` spans over and getting all of them
 * acknowledged by the sink: process CPU time, wall time, peak memory, and
 * optionally the time of each hand-off.
 */
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { mapSpan } from "../src/index.js";
import { CpuProfile } from "./measure/cpu-profile.js";
import { drive } from "./measure/driver.js";
import { MemorySampler } from "./measure/memory-sampler.js";
import { percentileOfSorted } from "./measure/stats.js";
import { floorSubject } from "./subjects/floor.js";
import { otlpSubject } from "./subjects/otlp.js";
import { phoenixSubject } from "./subjects/phoenix.js";
import type { Subject, SubjectName } from "./subjects/subject.js";
import { freshSpanCopy, freshValue } from "./workload/fresh-copy.js";
import { loadSdk } from "./workload/sdk.js";
import { generateWorkload, type MixName } from "./workload/workload.js";

export interface RunConfig {
  subject: SubjectName;
  /** Spans measured. */
  spans: number;
  /** Workload mix (bench/workload/). */
  mix: MixName;
  /** Least spans in the workload pool (whole traces); the measured spans cycle through it. */
  poolSpans: number;
  seed: number;
  sinkUrl: string;
  /** Spans sent before measuring. */
  warmupSpans: number;
  chunk: number;
  maxOutstanding: number;
  /** Time every hand-off (`onEnd`) and report percentiles. */
  timeHandOff: boolean;
  /** Directory for a .cpuprofile of the measured window. */
  profileDir?: string;
  /** CPU time is also recorded for this many equal windows of the measured spans (JIT drift check). */
  windows: number;
  /**
   * Hand over a fresh copy of each span (bench/workload/fresh-copy.ts) instead
   * of the pool's own object, as an application does; the copying's CPU time
   * is subtracted (`renewMicros`), its garbage is not.
   */
  freshSpans?: boolean;
  /** A memory run: force a full GC this often and report the most heap live after one (`peakLiveHeap`); its CPU is not comparable. */
  liveHeapEveryMillis?: number;
}

export interface RunResult {
  kind: "result";
  subject: SubjectName;
  spans: number;
  poolSpans: number;
  cpuMicros: number;
  userMicros: number;
  systemMicros: number;
  wallMillis: number;
  /** After the warm-up and a full GC: the workload pool, the subject, the runtime. */
  baselineHeap: number;
  baselineRss: number;
  peakHeap: number;
  peakRss: number;
  /** The kernel's lifetime peak, workload generation included. */
  maxRss: number;
  /** Heap after the run and a full GC: what the subject keeps, against `baselineHeap`. */
  retainedHeap: number;
  /** CPU µs per span of each window of the measured spans, in order. */
  windowMicros: number[];
  /** `freshSpans`: CPU µs of the measured window spent copying spans, already subtracted from `cpuMicros` and the windows. */
  renewMicros: number;
  freshSpans: boolean;
  /** Memory runs (`liveHeapEveryMillis`): the most heap live after a forced full GC during the window, and the number of such samples. */
  peakLiveHeap?: number;
  liveSamples?: number;
  sdkGeneration: 2 | 3;
  handOff?: {
    p50: number;
    p99: number;
    p999: number;
    max: number;
    mean: number;
    /**
     * By the call's place in the 50-span batch (the measured window starts on
     * a batch boundary): the first (arms the batch timer), the 50th (hands the
     * batch to delivery), the 48 others; p50 / p99 of each, µs.
     */
    byPosition?: Record<"first" | "last" | "others", { p50: number; p99: number }>;
  };
}

const config = JSON.parse(process.argv[2]!) as RunConfig;

/** Asks the parent to read the sink's counters now, and waits until it has. */
function mark(label: "start" | "end"): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: { kind: string; label?: string }) => {
      if (message.kind === "marked" && message.label === label) {
        process.off("message", onMessage);
        resolve();
      }
    };
    process.on("message", onMessage);
    process.send!({ kind: "mark", label });
  });
}

/**
 * With `freshSpans`: puts new copies into the pool slots the next chunk hands
 * over (the subjects read the pool at each hand-over) and the originals back
 * into the slots of the chunk before, so that the subject holds the only
 * reference to what it was handed, as a processor does in an application.
 */
function renewer<T>(pool: T[], copy: (item: T) => T): ((from: number, count: number) => void) | undefined {
  if (!config.freshSpans) return undefined;
  const originals = [...pool];
  let handed: number[] = [];
  return (from, count) => {
    for (const slot of handed) pool[slot] = originals[slot]!;
    handed = [];
    for (let i = from; i < from + count; i++) {
      const slot = i % pool.length;
      pool[slot] = copy(originals[slot]!);
      handed.push(slot);
    }
  };
}

async function createSubject(): Promise<{ subject: Subject; poolSpans: number; renew: ((from: number, count: number) => void) | undefined }> {
  const { spans } = await generateWorkload(config.mix, config.poolSpans, config.seed);
  switch (config.subject) {
    case "phoenix":
    case "phoenix-lean":
    case "phoenix-otlp":
      return {
        subject: phoenixSubject(spans, config.sinkUrl, "bench", config.subject === "phoenix" ? "default" : config.subject === "phoenix-lean" ? "lean" : "otlp"),
        poolSpans: spans.length,
        renew: renewer(spans, freshSpanCopy),
      };
    case "otlp-proto":
    case "otlp-http":
      return { subject: otlpSubject(await loadSdk(), config.subject, spans, config.sinkUrl), poolSpans: spans.length, renew: renewer(spans, freshSpanCopy) };
    case "floor": {
      const mapped = spans.map((span) => mapSpan(span));
      return { subject: await floorSubject(mapped, config.sinkUrl), poolSpans: spans.length, renew: renewer(mapped, freshValue) };
    }
  }
}

async function main(): Promise<void> {
  const { subject, poolSpans, renew } = await createSubject();
  const evictBytes = Number(process.env.BENCH_EVICT_BYTES ?? 0);
  const drive_ = { chunk: config.chunk, maxOutstanding: config.maxOutstanding, ...(renew ? { renew } : {}), ...(evictBytes > 0 ? { evictBytes } : {}) };
  await drive(subject, 0, config.warmupSpans, drive_);

  globalThis.gc?.();
  globalThis.gc?.();
  const sampler = new MemorySampler();
  sampler.sample();
  const baselineHeap = sampler.peakHeap;
  const baselineRss = sampler.peakRss;
  const timings = config.timeHandOff ? new Float64Array(config.spans) : undefined;
  const profile = config.profileDir ? new CpuProfile() : undefined;

  await mark("start");
  await profile?.start();
  sampler.start(config.liveHeapEveryMillis);
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  // The measured spans in equal windows, each drained before the next, so each window's CPU is its own.
  const windowMicros: number[] = [];
  const windows = Math.max(1, config.windows);
  let done = 0;
  let renewMicros = 0;
  for (let w = 0; w < windows; w++) {
    const count = Math.round(((w + 1) * config.spans) / windows) - done;
    const before = process.cpuUsage();
    const renewed = await drive(subject, config.warmupSpans + done, count, { ...drive_, ...(timings ? { timings: timings.subarray(done, done + count) } : {}) });
    const used = process.cpuUsage(before);
    windowMicros.push((used.user + used.system - renewed) / count);
    renewMicros += renewed;
    done += count;
  }
  const cpu = process.cpuUsage(cpuStart);
  // The copying is the application's work, not the subject's (its garbage stays in: the application makes that too).
  cpu.user -= renewMicros;
  const wallMillis = performance.now() - wallStart;
  sampler.stop();
  await profile?.stop(join(config.profileDir!, `${config.subject}-${config.spans}-${process.pid}.cpuprofile`));
  await mark("end");
  globalThis.gc?.();
  globalThis.gc?.();
  const retainedHeap = getHeapStatistics().used_heap_size;

  const result: RunResult = {
    kind: "result",
    subject: config.subject,
    spans: config.spans,
    poolSpans,
    cpuMicros: cpu.user + cpu.system,
    userMicros: cpu.user,
    systemMicros: cpu.system,
    wallMillis,
    baselineHeap,
    baselineRss,
    peakHeap: sampler.peakHeap,
    peakRss: sampler.peakRss,
    maxRss: MemorySampler.lifetimeMaxRss(),
    retainedHeap,
    windowMicros,
    renewMicros,
    freshSpans: config.freshSpans === true,
    ...(config.liveHeapEveryMillis !== undefined ? { peakLiveHeap: sampler.peakLiveHeap, liveSamples: sampler.liveSamples } : {}),
    sdkGeneration: (await loadSdk()).generation,
  };
  if (timings) {
    const groups = { first: [] as number[], last: [] as number[], others: [] as number[] };
    for (let i = 0; i < timings.length; i++) {
      const at = i % config.chunk;
      (at === 0 ? groups.first : at === config.chunk - 1 ? groups.last : groups.others).push(timings[i]!);
    }
    const summary = (list: number[]) => {
      const s = Float64Array.from(list).sort();
      return { p50: percentileOfSorted(s, 0.5) * 1000, p99: percentileOfSorted(s, 0.99) * 1000 };
    };
    const byPosition = { first: summary(groups.first), last: summary(groups.last), others: summary(groups.others) };
    const sorted = timings.sort();
    let sum = 0;
    for (const t of sorted) sum += t;
    result.handOff = {
      p50: percentileOfSorted(sorted, 0.5) * 1000,
      p99: percentileOfSorted(sorted, 0.99) * 1000,
      p999: percentileOfSorted(sorted, 0.999) * 1000,
      max: sorted[sorted.length - 1]! * 1000,
      mean: (sum / sorted.length) * 1000,
      byPosition,
    };
  }
  await send(result);
  // A subject's sockets or timers must not keep the process (and the parent waiting on it) alive.
  await Promise.race([subject.shutdown(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  process.exit(0);
}

function send(message: object): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

main().catch(async (error: unknown) => {
  await send({ kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
