/**
 * The compact per-mix table of BENCHMARKS.md from `npm run bench -- --json FILE`:
 * one row per mix, CPU µs/span of each path (median, min–max over the
 * repetitions), this package's ratios to the proto exporter and the floor
 * (taken within each repetition), peak heap over baseline and its ratio to
 * the proto exporter's, and the `onEnd` p99 of both processors.
 *
 *   npx tsx bench/summarize.ts FILE.json
 */
import { readFileSync } from "node:fs";
import { spread } from "./measure/stats.js";

interface Run {
  windowMicros: number[];
  cpuMicros: number;
  spans: number;
  peakHeap: number;
  baselineHeap: number;
  peakRss: number;
  baselineRss: number;
  loadAverage?: number;
  handOff?: { p99: number; byPosition?: Record<string, { p50: number; p99: number }> };
}
const file = process.argv[2];
if (!file) throw new Error("usage: summarize.ts FILE.json");
const data = JSON.parse(readFileSync(file, "utf8")) as { runs: Record<string, Run[]>; otel?: Record<string, string>; machine: string };
const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }) : "–");
const ws = (values: number[], d = 1) => {
  const s = spread(values);
  return values.length > 1 ? `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})` : fmt(s.median, d);
};
const cpu = (r: Run) => r.cpuMicros / r.spans;
/** The measured spans without their first window: what a longer warm-up would have shown. */
const late = (r: Run) => {
  const w = r.windowMicros.slice(1);
  return w.reduce((a, b) => a + b, 0) / w.length;
};
const heap = (r: Run) => Math.max(0, r.peakHeap - r.baselineHeap) / 2 ** 20;
const rss = (r: Run) => Math.max(0, r.peakRss - r.baselineRss) / 2 ** 20;

// `npx tsx bench/summarize.ts FILE.json [phoenix|phoenix-otlp|phoenix-lean]`: which of this package's paths the table is about.
const subject = process.argv[3] ?? "phoenix";
const mixes = [...new Set(Object.keys(data.runs).filter((k) => k.startsWith("side-by-side/")).map((k) => k.split("/")[1]!))];
const lines = [
  `| mix | ${subject === "phoenix-otlp" ? "phoenix-connector (transport: otlp)" : subject === "phoenix" ? "phoenix-connector (transport: rest)" : subject} µs/span | otlp-proto | otlp-http (JSON) | floor | phoenix × proto | × proto, windows 2–4 | phoenix × floor | × floor, windows 2–4 | heap over baseline MiB: phoenix / proto (× proto) | RSS over baseline MiB: phoenix / proto | onEnd p99 µs: phoenix / BSP+proto |`,
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const mix of mixes) {
  const get = (s: string) => data.runs[`side-by-side/${mix}/${s}`] ?? [];
  const ph = get(subject);
  const pr = get("otlp-proto");
  const js = get("otlp-http");
  const fl = get("floor");
  const n = Math.min(ph.length, pr.length, fl.length);
  const xProto = Array.from({ length: n }, (_, i) => cpu(ph[i]!) / cpu(pr[i]!));
  const xFloor = Array.from({ length: n }, (_, i) => cpu(ph[i]!) / cpu(fl[i]!));
  const xProtoLate = Array.from({ length: n }, (_, i) => late(ph[i]!) / late(pr[i]!));
  const xFloorLate = Array.from({ length: n }, (_, i) => late(ph[i]!) / late(fl[i]!));
  const xHeap = Array.from({ length: n }, (_, i) => heap(ph[i]!) / Math.max(heap(pr[i]!), 1));
  const hp = data.runs[`hand-off/${mix}/phoenix`] ?? [];
  const hb = data.runs[`hand-off/${mix}/otlp-proto`] ?? [];
  lines.push(
    `| ${mix} | ${ws(ph.map(cpu))} | ${ws(pr.map(cpu))} | ${ws(js.map(cpu))} | ${ws(fl.map(cpu))} | ${ws(xProto, 2)} | ${ws(xProtoLate, 2)} | ${ws(xFloor, 2)} | ${ws(xFloorLate, 2)} | ` +
      `${fmt(spread(ph.map(heap)).median, 0)} / ${fmt(spread(pr.map(heap)).median, 0)} (${ws(xHeap, 1)}) | ${fmt(spread(ph.map(rss)).median, 0)} / ${fmt(spread(pr.map(rss)).median, 0)} | ` +
      `${ws(hp.map((r) => r.handOff!.p99), 1)} / ${ws(hb.map((r) => r.handOff!.p99), 1)} |`,
  );
}
console.log(lines.join("\n"));
