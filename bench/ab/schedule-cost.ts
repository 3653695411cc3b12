/**
 * What it costs the application's thread to ask Node for a later turn, the
 * one thing the processor's hand-over (the 50th `onEnd` of a batch) has to
 * do besides pushing the batch: each way of scheduling, called once per
 * turn as the hand-over is, with `EVICT` bytes written before it (outside
 * the timed call) as a turn that mapped 50 large spans would leave the
 * caches. "nothing" is the timer's own cost, `performance.now()` twice.
 *
 *   npx tsx bench/ab/schedule-cost.ts [CALLS] [EVICT_MIB,...]
 */
import { evictCaches } from "../measure/evict-caches.js";

const calls = Number(process.argv[2] ?? 20_000);
const evictions = (process.argv[3] ?? "0,32").split(",").map((m) => Number(m) * 2 ** 20);

function noop(): void {}

const ways: ReadonlyArray<[string, () => void]> = [
  ["nothing", () => {}],
  ["setImmediate", () => void setImmediate(noop)],
  ["setTimeout 0", () => void setTimeout(noop, 0)],
  ["queueMicrotask", () => queueMicrotask(noop)],
  ["process.nextTick", () => process.nextTick(noop)],
];

/** One call per turn of the event loop (each after a `setTimeout` of 0), the first tenth dropped as warm-up. */
function measure(schedule: () => void, evictBytes: number): Promise<number[]> {
  const times = new Float64Array(calls);
  let i = 0;
  return new Promise((done) => {
    const step = (): void => {
      evictCaches(evictBytes);
      const started = performance.now();
      schedule();
      times[i++] = (performance.now() - started) * 1000;
      if (i < calls) setTimeout(step, 0);
      else done(Array.from(times.subarray(Math.floor(calls / 10))).sort((a, b) => a - b));
    };
    step();
  });
}

const at = (sorted: number[], q: number): string => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);

console.log(`Node ${process.versions.node}, ${calls} calls per row, one per turn (µs)\n`);
console.log("| evicted before the call | way | p50 | p90 | p99 |");
console.log("| ---: | --- | ---: | ---: | ---: |");
for (const bytes of evictions) {
  for (const [name, schedule] of ways) {
    const sorted = await measure(schedule, bytes);
    console.log(`| ${bytes / 2 ** 20} MiB | ${name} | ${at(sorted, 0.5)} | ${at(sorted, 0.9)} | ${at(sorted, 0.99)} |`);
  }
}
