/**
 * `npm run bench`: what exporting costs the application, side by side.
 *
 * The same seeded workload of agent runs (LLM, RETRIEVER, TOOL, EMBEDDING
 * and CHAIN spans, OpenInference and GenAI conventions; bench/workload/)
 * goes, in a fresh process per run, through each subject's full path to a
 * discarding HTTP server on 127.0.0.1 running in its own process:
 *
 * - this package's PhoenixSpanProcessor (mapping, serialising, sending);
 * - OpenTelemetry's OTLP exporters, protobuf and JSON, behind a BatchSpanProcessor;
 * - the floor: pre-mapped Phoenix objects → JSON.stringify → socket write.
 *
 * Reported: process CPU time per span (user + system, `process.cpuUsage()`),
 * spans/s, bytes per span on the wire, peak RSS and heap; the time `onEnd`
 * takes on the application's thread (p50, p99…); and a scaling run of this
 * package from 1,000 to 1,000,000 spans. Every figure is the median of
 * `--repeat` runs with the spread (min–max); ratios are taken within each
 * repetition. See BENCHMARKS.md for the method and the figures.
 *
 * Every figure is given per workload mix (bench/workload/mixes.ts; issue 16).
 *
 * Options (all optional):
 *   --mixes a,b        any of oi-chat, genai-json, rag, agent-small, fixtures, support-agent (default all)
 *   --pool N           least spans in each mix's pool, cycled through (default 1400)
 *   --spans N          spans per measured run (default 20000)
 *   --warmup N         warm-up spans before the measured window (default 10000)
 *   --windows N        the measured spans are timed in N windows too, to show the JIT has settled (default 4)
 *   --repeat N         repetitions of the side-by-side runs (default 3)
 *   --hand-off-repeat N repetitions of the onEnd timing runs (default 3)
 *   --seed N           workload seed (default 42)
 *   --subjects a,b     any of phoenix (transport: rest), phoenix-otlp (transport: otlp), otlp-proto, otlp-http, floor, phoenix-lean (default all but phoenix-lean)
 *   --scaling a,b      span counts of the scaling run (support-agent mix), e.g. 1000,10000,100000,1000000 (default none)
 *   --scaling-repeat N repetitions per scaling size up to 100,000 (default 3; larger sizes run once)
 *   --skip-hand-off    skip the onEnd timing runs
 *   --only-hand-off    only the onEnd timing runs
 *   --live-heap MS     memory runs after the side by side: every subject once per mix, forcing a full GC every MS ms, to
 *                      report the most heap held live (not garbage yet uncollected); their CPU is not used
 *   --live-heap-repeat N repetitions of those memory runs (default 1)
 *   --skip-side-by-side skip the CPU runs (for memory or onEnd runs alone)
 *   --fresh-spans      hand over a new copy of each span (new strings), as an application does, instead of the
 *                      pool's own objects: a span a subject holds then costs heap (copying CPU is subtracted)
 *   --profile DIR      write a .cpuprofile of each measured window into DIR
 *   --json FILE        also write every raw measurement to FILE
 *   --phoenix URL      also send the workload to a real Phoenix over REST and OTLP and time until the last span is readable
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runPhoenixLive } from "./phoenix-live.js";
import { handOffTable, machineDescription, repetitionLines, scalingTable, sideBySideTable, windowTable } from "./report.js";
import { spread } from "./measure/stats.js";
import { runSubject, type MeasuredRun } from "./run-subject.js";
import { SinkProcess } from "./sink/sink-process.js";
import type { RunConfig } from "./subject-process.js";
import { ALL_SUBJECT_NAMES, SUBJECT_NAMES, type SubjectName } from "./subjects/subject.js";
import { loadSdk } from "./workload/sdk.js";
import { MIX_NAMES, type MixName } from "./workload/workload.js";

const { values: args } = parseArgs({
  options: {
    mixes: { type: "string", default: MIX_NAMES.join(",") },
    pool: { type: "string", default: "1400" },
    spans: { type: "string", default: "20000" },
    warmup: { type: "string", default: "10000" },
    windows: { type: "string", default: "4" },
    repeat: { type: "string", default: "3" },
    "hand-off-repeat": { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    subjects: { type: "string", default: SUBJECT_NAMES.join(",") },
    scaling: { type: "string", default: "none" },
    "scaling-repeat": { type: "string", default: "3" },
    "skip-hand-off": { type: "boolean", default: false },
    "only-hand-off": { type: "boolean", default: false },
    "fresh-spans": { type: "boolean", default: false },
    "skip-side-by-side": { type: "boolean", default: false },
    "live-heap": { type: "string" },
    "live-heap-repeat": { type: "string", default: "1" },
    profile: { type: "string" },
    json: { type: "string" },
    phoenix: { type: "string" },
  },
});

const SPANS = positive("spans");
const REPEAT = positive("repeat");
const HAND_OFF_REPEAT = positive("hand-off-repeat");
const MIXES = args.mixes.split(",").map((s) => s.trim()) as MixName[];
for (const m of MIXES) if (!MIX_NAMES.includes(m)) throw new Error(`unknown mix ${m}; known: ${MIX_NAMES.join(", ")}`);
const SEED = Number(args.seed);
const SCALING_REPEAT = positive("scaling-repeat");
const SUBJECTS = args.subjects.split(",").map((s) => s.trim()) as SubjectName[];
for (const s of SUBJECTS) if (!ALL_SUBJECT_NAMES.includes(s)) throw new Error(`unknown subject ${s}; known: ${ALL_SUBJECT_NAMES.join(", ")}`);
const SCALING = args.scaling === "none" ? [] : args.scaling.split(",").map(Number);

/** About 1,400 distinct spans per mix (whole traces), cycled through. */
const POOL_SPANS = positive("pool");
const BASE: Omit<RunConfig, "subject" | "spans" | "sinkUrl" | "timeHandOff" | "mix"> = {
  poolSpans: POOL_SPANS,
  seed: SEED,
  warmupSpans: positive("warmup"),
  windows: positive("windows"),
  chunk: 50,
  maxOutstanding: Number(process.env.BENCH_MAX_OUTSTANDING ?? 1_500),
  freshSpans: args["fresh-spans"],
  ...(args.profile ? { profileDir: resolve(args.profile) } : {}),
};

function positive(name: "live-heap-repeat" | "spans" | "repeat" | "scaling-repeat" | "hand-off-repeat" | "pool" | "warmup" | "windows"): number {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function main(): Promise<void> {
  if (args.profile) mkdirSync(args.profile, { recursive: true });
  const machine = machineDescription();
  const sink = await SinkProcess.start();
  try {
    await measure(sink, machine);
  } finally {
    await sink.close();
  }
}

async function measure(sink: SinkProcess, machine: string): Promise<void> {
  const raw: Record<string, MeasuredRun[]> = {};
  const keep = (key: string, run: MeasuredRun) => (raw[key] ??= []).push(run);
  const sdk = await loadSdk();
  const out: string[] = [
    `Machine: ${machine}`,
    `OpenTelemetry ${sdk.generation}: ${Object.entries(sdk.versions).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `Workload: seed ${SEED}, mixes ${MIXES.join(", ")}; pools of at least ${POOL_SPANS.toLocaleString("en-US")} spans cycled; ${SPANS.toLocaleString("en-US")} spans per measured run (${BASE.windows} windows) after ${BASE.warmupSpans.toLocaleString("en-US")} warm-up spans; ${REPEAT} repetitions${BASE.freshSpans ? "; a fresh copy of every span handed over (--fresh-spans)" : ""}.`,
    "",
  ];

  // Side by side: every repetition measures every mix x subject once, subjects in a rotating order.
  const repetitions = new Map<MixName, Array<Map<SubjectName, MeasuredRun>>>(MIXES.map((m) => [m, []]));
  for (let r = 0; r < (args["only-hand-off"] || args["skip-side-by-side"] ? 0 : REPEAT); r++) {
    for (const mix of MIXES) {
      const bySubject = new Map<SubjectName, MeasuredRun>();
      for (let i = 0; i < SUBJECTS.length; i++) {
        const subject = SUBJECTS[(i + r) % SUBJECTS.length]!;
        const run = await runSubject({ ...BASE, mix, subject, spans: SPANS, sinkUrl: sink.url, timeHandOff: false }, sink);
        progress(`side by side ${r + 1}/${REPEAT} ${mix} ${subject}: ${(run.cpuMicros / run.spans).toFixed(1)} µs/span (windows ${run.windowMicros.map((w) => w.toFixed(1)).join(" ")}), heap +${((run.peakHeap - run.baselineHeap) / 2 ** 20).toFixed(0)} MiB, load ${run.loadAverage.toFixed(2)}`);
        bySubject.set(subject, run);
        keep(`side-by-side/${mix}/${subject}`, run);
      }
      repetitions.get(mix)!.push(bySubject);
    }
  }
  for (const mix of args["only-hand-off"] || args["skip-side-by-side"] ? [] : MIXES) {
    const reps = repetitions.get(mix)!;
    const pool = reps[0]!.get(SUBJECTS[0]!)!.poolSpans;
    out.push(
      `### Mix \`${mix}\` (${pool.toLocaleString("en-US")} distinct spans): CPU per span through the full path to the sink`,
      "",
      sideBySideTable(reps, SUBJECTS),
      "",
      repetitionLines(reps, SUBJECTS),
      "",
      windowTable(reps, SUBJECTS),
      "",
    );
  }

  if (!args["skip-hand-off"]) {
    for (const mix of MIXES) {
      const handOff = new Map<SubjectName, MeasuredRun[]>();
      for (const subject of SUBJECTS.filter((s) => s === "phoenix" || s === "otlp-proto")) handOff.set(subject, []);
      for (let r = 0; r < HAND_OFF_REPEAT; r++) {
        for (const [subject, list] of handOff) {
          const run = await runSubject({ ...BASE, mix, subject, spans: SPANS, sinkUrl: sink.url, timeHandOff: true }, sink);
          progress(`hand-off ${r + 1}/${HAND_OFF_REPEAT} ${mix} ${subject}: p50 ${run.handOff!.p50.toFixed(2)} µs, p99 ${run.handOff!.p99.toFixed(2)} µs`);
          list.push(run);
          keep(`hand-off/${mix}/${subject}`, run);
        }
      }
      const position = (subject: SubjectName) => {
        const list = handOff.get(subject) ?? [];
        const pick = (f: (p: NonNullable<NonNullable<MeasuredRun["handOff"]>["byPosition"]>) => number) =>
          spread(list.map((r) => f(r.handOff!.byPosition!))).median.toFixed(2);
        return `${subject}: first of a batch p50 ${pick((p) => p.first.p50)} / p99 ${pick((p) => p.first.p99)} µs, 50th p50 ${pick((p) => p.last.p50)} / p99 ${pick((p) => p.last.p99)} µs, the 48 others p99 ${pick((p) => p.others.p99)} µs`;
      };
      progress(`hand-off by position, ${mix}: ${[...handOff.keys()].map(position).join("; ")}`);
      out.push(`### Hand-off, mix \`${mix}\`: time of each \`onEnd\` call on the application's thread`, "", handOffTable(handOff), "", `By position in the 50-span batch (medians of the runs): ${[...handOff.keys()].map(position).join("; ")}.`, "");
    }
  }

  if (args["live-heap"] !== undefined) {
    const every = Number(args["live-heap"]);
    if (!Number.isInteger(every) || every < 1) throw new Error("--live-heap must be a positive integer (ms)");
    out.push(
      `### Memory runs: heap held live (after a forced full GC every ${every} ms) during the measured window${BASE.freshSpans ? ", fresh spans" : ""}`,
      "",
      "| mix | subject | most heap live over baseline MiB (median, min–max) | peak heap over baseline MiB | samples |",
      "| --- | --- | ---: | ---: | ---: |",
    );
    for (const mix of MIXES) {
      for (const subject of SUBJECTS) {
        const list: MeasuredRun[] = [];
        for (let r = 0; r < positive("live-heap-repeat"); r++) {
          const run = await runSubject({ ...BASE, mix, subject, spans: SPANS, sinkUrl: sink.url, timeHandOff: false, liveHeapEveryMillis: every }, sink);
          progress(`live heap ${mix} ${subject}: +${((run.peakLiveHeap! - run.baselineHeap) / 2 ** 20).toFixed(1)} MiB live (${run.liveSamples} samples), peak +${((run.peakHeap - run.baselineHeap) / 2 ** 20).toFixed(0)} MiB`);
          list.push(run);
          keep(`live-heap/${mix}/${subject}`, run);
        }
        const live = spread(list.map((r) => (r.peakLiveHeap! - r.baselineHeap) / 2 ** 20));
        const peak = spread(list.map((r) => (r.peakHeap - r.baselineHeap) / 2 ** 20));
        out.push(`| ${mix} | ${subject} | ${live.median.toFixed(1)} (${live.min.toFixed(1)}–${live.max.toFixed(1)}) | ${peak.median.toFixed(0)} | ${list.map((r) => r.liveSamples).join(", ")} |`);
      }
    }
    out.push("");
  }

  if (SCALING.length > 0) {
    const scaling = new Map<number, MeasuredRun[]>();
    for (const size of SCALING) {
      const list: MeasuredRun[] = [];
      const times = size <= 100_000 ? SCALING_REPEAT : 1;
      for (let r = 0; r < times; r++) {
        const run = await runSubject({ ...BASE, mix: "support-agent", subject: "phoenix", spans: size, sinkUrl: sink.url, timeHandOff: false }, sink);
        progress(`scaling ${size} ${r + 1}/${times}: ${(run.cpuMicros / run.spans).toFixed(1)} µs/span, peak heap ${(run.peakHeap / 2 ** 20).toFixed(0)} MiB`);
        list.push(run);
        keep(`scaling/${size}`, run);
      }
      scaling.set(size, list);
    }
    out.push("### Scaling: this package from 1k to 1M spans (support-agent mix)", "", scalingTable(scaling), "");
  }

  if (args.phoenix) out.push("### Into a real Phoenix", "", await runPhoenixLive(args.phoenix, { seed: SEED, runs: Math.ceil(POOL_SPANS / 7) }), "");

  console.log(out.join("\n"));
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine, otel: sdk.versions, seed: SEED, spans: SPANS, repeat: REPEAT, runs: raw }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
