/**
 * One overload run (forked by bench/overload.ts): a PhoenixSpanProcessor
 * warmed up against a server that answers at once, then handed a backlog of
 * `backlog` distinct spans in one go, which drains into a slow Phoenix (the
 * test server's speed mode, in the parent process). Measured with
 * `process.cpuUsage()` of this process: the hand-over, the whole drain, and
 * the drain in slices of delivered spans (does a span delivered while the
 * queue is long cost more than one delivered near the end?).
 *
 * No timer samples anything: on this VM an empty 10 ms `setInterval` alone
 * costs 18 ms of CPU per wall second, and with a heap and RSS read 28 ms
 * (measured, Node 24). A drain paced by Phoenix's storage rate (OTLP at
 * capacity: ~850 spans/s of wall time) would be charged 30–50 µs per span
 * for the harness's own wake-ups, which grows with the drain's wall time,
 * not with anything the exporter does. So memory and delivered counts are
 * read when an answer arrives (undici's `undici:request:headers`
 * diagnostics channel, one callback per answer), and once at the end.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { getHeapStatistics } from "node:v8";
import { PhoenixSpanProcessor, type PhoenixSpanExporterOptions } from "../../src/index.js";
import { generateWorkload, type MixName } from "../workload/workload.js";

export interface DrainJob {
  url: string;
  warmupUrl: string;
  backlog: number;
  warmupSpans: number;
  mix: MixName;
  seed: number;
  timeScale: number;
  transport: "rest" | "otlp";
}

export interface DrainResult {
  kind: "result";
  backlog: number;
  delivered: number;
  handOverMicros: number;
  drainCpuMicros: number;
  drainWallMillis: number;
  /** CPU µs per delivered span in each tenth of the delivered spans, in delivery order. */
  sliceMicros: number[];
  peakHeapOverBaseline: number;
  peakRssOverBaseline: number;
  stats: unknown;
  /** Filled in by the parent: the server's OTLP 503s at capacity during the run. */
  rejectedAtCapacity?: number;
}

const job = JSON.parse(process.argv[2]!) as DrainJob;
const scaled = (millis: number) => Math.max(1, Math.round(millis * job.timeScale));

function options(url: string, project: string, room: number): PhoenixSpanExporterOptions & { scheduledDelayMillis: number } {
  return {
    endpoint: url,
    projectName: project,
    transport: job.transport,
    // Room for the whole backlog in memory: the cost of draining it is measured, not the bound.
    maxQueuedSpans: room + 1_000,
    maxQueuedBytes: 2 * 1024 ** 3,
    // The package's time options on the server's time scale (as bench/phoenix-speed/producer.ts).
    timeoutMillis: scaled(20_000),
    // Not scaled: this bench measures what a drain costs, not when the exporter gives up (that is
    // tested in test/exporter). Before mapping was bounded per turn, a scaled 0.6 s deadline gave
    // up on a 50,000-span round during the one-second mapping pass.
    progressTimeoutMillis: 30_000,
    retry: { initialBackoffMillis: scaled(250), maxBackoffMillis: scaled(5_000), deadlineMillis: scaled(60_000) },
    summaryIntervalMillis: 0,
    scheduledDelayMillis: scaled(3_000),
  };
}

function send(message: object): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function main(): Promise<void> {
  const { spans: warm } = await generateWorkload(job.mix, job.warmupSpans, job.seed + 1);
  const { spans } = await generateWorkload(job.mix, job.backlog, job.seed);
  spans.length = job.backlog;

  {
    const p = new PhoenixSpanProcessor(options(job.warmupUrl, "warm-up", job.warmupSpans));
    for (const span of warm) p.onEnd(span);
    await p.shutdown();
  }
  globalThis.gc?.();
  globalThis.gc?.();
  const baseHeap = getHeapStatistics().used_heap_size;
  const baseRss = process.memoryUsage.rss();
  let peakHeap = baseHeap;
  let peakRss = baseRss;

  const processor = new PhoenixSpanProcessor(options(job.url, "overload", job.backlog));
  const exporter = processor.exporter;
  const delivered = () => {
    const s = exporter.stats();
    return s.exported + s.duplicate;
  };

  const slices = 10;
  const sliceMicros: number[] = [];
  let nextSlice = 1;
  let sliceStartCpu = 0;
  let sliceStartDelivered = 0;
  const cpuNow = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  // At every answer: memory, and the CPU spent per span delivered in each tenth of the backlog.
  const sample = () => {
    const heap = getHeapStatistics().used_heap_size;
    const rss = process.memoryUsage.rss();
    if (heap > peakHeap) peakHeap = heap;
    if (rss > peakRss) peakRss = rss;
    const d = delivered();
    while (nextSlice <= slices && d >= (nextSlice * job.backlog) / slices) {
      const cpu = cpuNow();
      sliceMicros.push((cpu - sliceStartCpu) / Math.max(1, d - sliceStartDelivered));
      sliceStartCpu = cpu;
      sliceStartDelivered = d;
      nextSlice++;
    }
  };
  // The delivered count moves once the answer has been read, so look one macrotask later.
  const onAnswer = () => setImmediate(sample);
  subscribe("undici:request:headers", onAnswer);

  const cpu0 = cpuNow();
  for (const span of spans) processor.onEnd(span);
  const cpu1 = cpuNow();
  sliceStartCpu = cpu0;
  sample();
  const wall0 = performance.now();
  await processor.forceFlush({ timeoutMillis: 3_600_000 });
  const cpu2 = cpuNow();
  const drainWallMillis = performance.now() - wall0;
  unsubscribe("undici:request:headers", onAnswer);
  sample();
  const result: DrainResult = {
    kind: "result",
    backlog: job.backlog,
    delivered: delivered(),
    handOverMicros: cpu1 - cpu0,
    drainCpuMicros: cpu2 - cpu1,
    drainWallMillis,
    sliceMicros,
    peakHeapOverBaseline: peakHeap - baseHeap,
    peakRssOverBaseline: peakRss - baseRss,
    stats: exporter.stats(),
  };
  await send(result);
  await processor.shutdown();
  process.exit(0);
}

main().catch(async (error: unknown) => {
  await send({ kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
