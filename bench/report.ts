import { cpus, freemem, loadavg, totalmem } from "node:os";
import type { MeasuredRun } from "./run-subject.js";
import { spread, type Spread } from "./measure/stats.js";
import type { SubjectName } from "./subjects/subject.js";

/** Markdown tables of the results, printed by `npm run bench` and pasted into BENCHMARKS.md. */

const MiB = 1024 * 1024;

const LABELS: Record<SubjectName, string> = {
  phoenix: "phoenix-connector (PhoenixSpanProcessor, transport: rest)",
  "otlp-proto": "@opentelemetry/exporter-trace-otlp-proto",
  "otlp-http": "@opentelemetry/exporter-trace-otlp-http (JSON)",
  floor: "floor (pre-mapped → JSON.stringify → socket)",
  "phoenix-lean": "phoenix-connector, transport: rest, keepSourceAttributes: false",
  "phoenix-otlp": "phoenix-connector (PhoenixSpanProcessor, transport: otlp)",
};

export function cpuPerSpan(run: MeasuredRun): number {
  return run.cpuMicros / run.spans;
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function withSpread(s: Spread, digits: number): string {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

export function machineDescription(): string {
  const cpu = cpus();
  return (
    `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${fmt(totalmem() / 1024 ** 3, 1)} GiB ` +
    `(${fmt(freemem() / 1024 ** 3, 1)} free), Node ${process.version} on ${process.platform}/${process.arch}, load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}`
  );
}

/**
 * Runs grouped by repetition (each repetition measured every subject once),
 * so that ratios are taken within a repetition, under the same load, and
 * their spread shows.
 */
export function sideBySideTable(repetitions: ReadonlyArray<ReadonlyMap<SubjectName, MeasuredRun>>, subjects: readonly SubjectName[]): string {
  const rows = subjects.map((subject) => {
    const runs = repetitions.map((r) => r.get(subject)!);
    const ratio = (other: SubjectName) => {
      if (!subjects.includes(other)) return "–";
      return `${withSpread(spread(repetitions.map((r) => cpuPerSpan(r.get(subject)!) / cpuPerSpan(r.get(other)!))), 2)}`;
    };
    const heapOver = (r: MeasuredRun) => Math.max(r.peakHeap - r.baselineHeap, 0);
    const heapRatio = subjects.includes("otlp-proto")
      ? withSpread(spread(repetitions.map((r) => heapOver(r.get(subject)!) / Math.max(heapOver(r.get("otlp-proto")!), 1))), 2)
      : "–";
    return [
      LABELS[subject],
      withSpread(spread(runs.map(cpuPerSpan)), 1),
      ratio("otlp-proto"),
      ratio("floor"),
      fmt(spread(runs.map((r) => r.userMicros / r.spans)).median, 1) + " / " + fmt(spread(runs.map((r) => r.systemMicros / r.spans)).median, 1),
      fmt(spread(runs.map((r) => r.spans / (r.wallMillis / 1000))).median, 0),
      fmt(spread(runs.map((r) => r.wireBytes / r.spans)).median, 0),
      fmt(spread(runs.map((r) => r.peakRss / MiB)).median, 0),
      fmt(spread(runs.map((r) => r.peakHeap / MiB)).median, 0),
      withSpread(spread(runs.map((r) => (r.peakHeap - r.baselineHeap) / MiB)), 1),
      heapRatio,
    ];
  });
  return table(
    ["subject", "CPU µs/span, median (min–max)", "× proto", "× floor", "user / sys µs", "spans/s (wall)", "wire bytes/span", "peak RSS MiB", "peak heap MiB", "heap over baseline MiB", "heap over baseline × proto"],
    rows,
  );
}

export function handOffTable(runs: ReadonlyMap<SubjectName, readonly MeasuredRun[]>): string {
  const rows: string[][] = [];
  for (const [subject, list] of runs) {
    const pick = (f: (h: NonNullable<MeasuredRun["handOff"]>) => number) => withSpread(spread(list.map((r) => f(r.handOff!))), 2);
    rows.push([LABELS[subject], pick((h) => h.p50), pick((h) => h.p99), pick((h) => h.p999), pick((h) => h.max), pick((h) => h.mean)]);
  }
  return table(["`onEnd` on the application's thread, µs", "p50", "p99", "p99.9", "max", "mean"], rows);
}

export function scalingTable(runs: ReadonlyMap<number, readonly MeasuredRun[]>): string {
  const rows: string[][] = [];
  for (const [size, list] of runs) {
    rows.push([
      fmt(size, 0),
      String(list.length),
      withSpread(spread(list.map(cpuPerSpan)), 1),
      fmt(spread(list.map((r) => r.spans / (r.wallMillis / 1000))).median, 0),
      fmt(spread(list.map((r) => r.wireBytes / r.spans)).median, 0),
      fmt(spread(list.map((r) => r.peakRss / MiB)).median, 0),
      fmt(spread(list.map((r) => r.peakHeap / MiB)).median, 0),
      fmt(spread(list.map((r) => (r.peakHeap - r.baselineHeap) / MiB)).median, 1),
      fmt(spread(list.map((r) => (r.retainedHeap - r.baselineHeap) / MiB)).median, 1),
    ]);
  }
  return table(
    ["spans", "runs", "CPU µs/span, median (min–max)", "spans/s (wall)", "wire bytes/span", "peak RSS MiB", "peak heap MiB", "peak heap over baseline MiB", "retained after GC MiB"],
    rows,
  );
}

/**
 * CPU µs per span of each window of the measured spans (median over the
 * repetitions, then the spread of the window medians): flat windows mean the
 * warm-up was long enough for the JIT to settle.
 */
export function windowTable(repetitions: ReadonlyArray<ReadonlyMap<SubjectName, MeasuredRun>>, subjects: readonly SubjectName[]): string {
  const windows = repetitions[0]?.get(subjects[0]!)?.windowMicros.length ?? 0;
  const rows = subjects.map((subject) => {
    const medians = Array.from({ length: windows }, (_, w) => spread(repetitions.map((r) => r.get(subject)!.windowMicros[w]!)).median);
    const first = medians[0]!;
    const last = medians[medians.length - 1]!;
    return [LABELS[subject], ...medians.map((m) => fmt(m, 1)), `${fmt(((last - first) / first) * 100, 1)} %`];
  });
  return table(["subject (µs/span per window, median of repetitions)", ...Array.from({ length: windows }, (_, w) => `window ${w + 1}`), "last vs first"], rows);
}

/** One line per repetition: each subject's µs/span and its ratios to proto and floor. */
export function repetitionLines(repetitions: ReadonlyArray<ReadonlyMap<SubjectName, MeasuredRun>>, subjects: readonly SubjectName[]): string {
  return repetitions
    .map((r, i) => {
      const parts = subjects.map((s) => `${s} ${fmt(cpuPerSpan(r.get(s)!), 1)}`);
      const ratios: string[] = [];
      for (const name of ["phoenix", "phoenix-otlp", "phoenix-lean"] as const) {
        const ph = r.get(name);
        if (!ph) continue;
        const of: string[] = [];
        if (r.get("otlp-proto")) of.push(`${fmt(cpuPerSpan(ph) / cpuPerSpan(r.get("otlp-proto")!), 2)}× proto`);
        if (r.get("floor")) of.push(`${fmt(cpuPerSpan(ph) / cpuPerSpan(r.get("floor")!), 2)}× floor`);
        if (of.length > 0) ratios.push(`${name} ${of.join(", ")}`);
      }
      return `- repetition ${i + 1} (load ${fmt(r.get(subjects[0]!)!.loadAverage ?? Number.NaN, 2)}): ${parts.join(", ")}; ${ratios.join("; ")}`;
    })
    .join("\n");
}
