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
 * Options (all optional):
 *   --spans N          spans per measured run (default 20000)
 *   --repeat N         repetitions of the side-by-side and hand-off runs (default 5)
 *   --seed N           workload seed (default 42)
 *   --subjects a,b     any of phoenix, otlp-proto, otlp-http, floor (default all)
 *   --scaling a,b      span counts of the scaling run (default 1000,10000,100000,1000000); "none" skips it
 *   --scaling-repeat N repetitions per scaling size up to 100,000 (default 3; larger sizes run once)
 *   --skip-hand-off    skip the onEnd timing runs
 *   --profile DIR      write a .cpuprofile of each measured window into DIR
 *   --json FILE        also write every raw measurement to FILE
 *   --phoenix URL      also send the workload to a real Phoenix over REST and OTLP and time until the last span is readable
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runPhoenixLive } from "./phoenix-live.js";
import { handOffTable, machineDescription, scalingTable, sideBySideTable } from "./report.js";
import { runSubject, type MeasuredRun } from "./run-subject.js";
import { SinkProcess } from "./sink/sink-process.js";
import type { RunConfig } from "./subject-process.js";
import { SUBJECT_NAMES, type SubjectName } from "./subjects/subject.js";

const { values: args } = parseArgs({
  options: {
    spans: { type: "string", default: "20000" },
    repeat: { type: "string", default: "5" },
    seed: { type: "string", default: "42" },
    subjects: { type: "string", default: SUBJECT_NAMES.join(",") },
    scaling: { type: "string", default: "1000,10000,100000,1000000" },
    "scaling-repeat": { type: "string", default: "3" },
    "skip-hand-off": { type: "boolean", default: false },
    profile: { type: "string" },
    json: { type: "string" },
    phoenix: { type: "string" },
  },
});

const SPANS = positive("spans");
const REPEAT = positive("repeat");
const SEED = Number(args.seed);
const SCALING_REPEAT = positive("scaling-repeat");
const SUBJECTS = args.subjects.split(",").map((s) => s.trim()) as SubjectName[];
for (const s of SUBJECTS) if (!SUBJECT_NAMES.includes(s)) throw new Error(`unknown subject ${s}; known: ${SUBJECT_NAMES.join(", ")}`);
const SCALING = args.scaling === "none" ? [] : args.scaling.split(",").map(Number);

/** 200 agent runs = 1,400 distinct spans (about 15 MB of attributes), cycled through. */
const POOL_RUNS = 200;
const BASE: Omit<RunConfig, "subject" | "spans" | "sinkUrl" | "timeHandOff"> = {
  poolRuns: POOL_RUNS,
  seed: SEED,
  warmupSpans: 5_000,
  chunk: 50,
  maxOutstanding: Number(process.env.BENCH_MAX_OUTSTANDING ?? 1_500),
  ...(args.profile ? { profileDir: resolve(args.profile) } : {}),
};

function positive(name: "spans" | "repeat" | "scaling-repeat"): number {
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
  const out: string[] = [`Machine: ${machine}`, `Workload: seed ${SEED}, ${POOL_RUNS} agent runs (${POOL_RUNS * 7} spans) cycled; ${SPANS.toLocaleString("en-US")} spans per measured run after ${BASE.warmupSpans.toLocaleString("en-US")} warm-up spans; ${REPEAT} repetitions.`, ""];

  // Side by side: every repetition measures every subject once, in a rotating order.
  const repetitions: Array<Map<SubjectName, MeasuredRun>> = [];
  for (let r = 0; r < REPEAT; r++) {
    const bySubject = new Map<SubjectName, MeasuredRun>();
    for (let i = 0; i < SUBJECTS.length; i++) {
      const subject = SUBJECTS[(i + r) % SUBJECTS.length]!;
      const run = await runSubject({ ...BASE, subject, spans: SPANS, sinkUrl: sink.url, timeHandOff: false }, sink);
      progress(`side by side ${r + 1}/${REPEAT} ${subject}: ${(run.cpuMicros / run.spans).toFixed(1)} µs/span`);
      bySubject.set(subject, run);
      keep(`side-by-side/${subject}`, run);
    }
    repetitions.push(bySubject);
  }
  out.push("### Side by side: CPU per span through the full path to the sink", "", sideBySideTable(repetitions, SUBJECTS), "");

  if (!args["skip-hand-off"]) {
    const handOff = new Map<SubjectName, MeasuredRun[]>();
    for (const subject of SUBJECTS.filter((s) => s === "phoenix" || s === "otlp-proto")) handOff.set(subject, []);
    for (let r = 0; r < REPEAT; r++) {
      for (const [subject, list] of handOff) {
        const run = await runSubject({ ...BASE, subject, spans: SPANS, sinkUrl: sink.url, timeHandOff: true }, sink);
        progress(`hand-off ${r + 1}/${REPEAT} ${subject}: p50 ${run.handOff!.p50.toFixed(2)} µs, p99 ${run.handOff!.p99.toFixed(2)} µs`);
        list.push(run);
        keep(`hand-off/${subject}`, run);
      }
    }
    out.push("### Hand-off: time of each `onEnd` call on the application's thread", "", handOffTable(handOff), "");
  }

  if (SCALING.length > 0) {
    const scaling = new Map<number, MeasuredRun[]>();
    for (const size of SCALING) {
      const list: MeasuredRun[] = [];
      const times = size <= 100_000 ? SCALING_REPEAT : 1;
      for (let r = 0; r < times; r++) {
        const run = await runSubject({ ...BASE, subject: "phoenix", spans: size, sinkUrl: sink.url, timeHandOff: false }, sink);
        progress(`scaling ${size} ${r + 1}/${times}: ${(run.cpuMicros / run.spans).toFixed(1)} µs/span, peak heap ${(run.peakHeap / 2 ** 20).toFixed(0)} MiB`);
        list.push(run);
        keep(`scaling/${size}`, run);
      }
      scaling.set(size, list);
    }
    out.push("### Scaling: this package from 1k to 1M spans", "", scalingTable(scaling), "");
  }

  if (args.phoenix) out.push("### Into a real Phoenix", "", await runPhoenixLive(args.phoenix, { seed: SEED, runs: POOL_RUNS }), "");

  console.log(out.join("\n"));
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine, seed: SEED, spans: SPANS, repeat: REPEAT, runs: raw }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
