/**
 * Delivery at Phoenix's speed under load (`npm run bench:phoenix-speed`; issue 14, items 6 and 7).
 *
 * The test server (test/servers/phoenix-server.ts) answers and stores as
 * slowly as a real Phoenix 20.3 (BEHAVIOUR.md "Speed under load": REST stalls
 * for seconds, ~120 spans/s accepted, ~100 spans/s stored; OTLP ~1,300
 * spans/s with a 503 past 20,000 queued), on a time scale. Each scenario x
 * path runs in a fresh child process (bench/phoenix-speed/producer.ts) that
 * ends the same ~1.5 KB LLM spans (same ids, same text) and shuts down; the
 * server runs here, on loopback, a fresh one per run. Reported per run: spans
 * lost (handed over minus stored, once the server has drained), where, the
 * drain time against the server's own storage rate, shutdown time, 503s,
 * peak RSS / heap of the producer, span.end() (= onEnd) times.
 *
 * Environment: TIME_SCALE (default 0.05: 20x faster than Phoenix), ROUNDS
 * (default 1), SCENARIOS (comma list of burst-1k,burst-5k,burst-20k,
 * burst-100k,sustained), PATHS (comma list of rest,rest+spool,otlp,
 * otlp+spool,bsp+otlp-proto), OUT (default bench/results/phoenix-speed.md).
 * Figures are given in Phoenix time (wall time / TIME_SCALE) unless marked wall.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { startPhoenixServer } from "../test/servers/phoenix-server.js";
import type { PathName, ProducerJob, ProducerResult } from "./phoenix-speed/producer.js";

const TIME_SCALE = Number(process.env.TIME_SCALE ?? 0.05);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const OUT = process.env.OUT ?? fileURLToPath(new URL("./results/phoenix-speed.md", import.meta.url));
const ALL_PATHS: PathName[] = ["rest", "rest+spool", "otlp", "otlp+spool", "bsp+otlp-proto"];
const PATHS = (process.env.PATHS?.split(",") as PathName[] | undefined) ?? ALL_PATHS;
const WARMUP_SPANS = Number(process.env.WARMUP_SPANS ?? 1_000);
const STORAGE_RATE = 100; // the server's default storageSpansPerSecond (Phoenix time)

interface Scenario {
  name: string;
  title: string;
  count: number;
  /** Spans per Phoenix second; absent for a burst. */
  rate?: number;
  seed: number;
}
const ALL_SCENARIOS: Scenario[] = [
  { name: "burst-1k", title: "Burst of 1,000 spans, then shutdown", count: 1_000, seed: 101 },
  { name: "burst-5k", title: "Burst of 5,000 spans, then shutdown", count: 5_000, seed: 105 },
  { name: "burst-20k", title: "Burst of 20,000 spans, then shutdown", count: 20_000, seed: 120 },
  { name: "burst-100k", title: "Burst of 100,000 spans, then shutdown", count: 100_000, seed: 200 },
  // Twice Phoenix's storage rate for two minutes of Phoenix time.
  { name: "sustained", title: "Sustained overload: 200 spans/s (2x storage) for 120 s, then shutdown", count: 2 * STORAGE_RATE * 120, rate: 2 * STORAGE_RATE, seed: 300 },
];
const wanted = process.env.SCENARIOS?.split(",");
const SCENARIOS = ALL_SCENARIOS.filter((s) => !wanted || wanted.includes(s.name));

const PRODUCER = fileURLToPath(new URL("./phoenix-speed/producer.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const phoenixSeconds = (wallMillis: number) => wallMillis / 1000 / TIME_SCALE;
const now = () => performance.timeOrigin + performance.now();

interface Run {
  scenario: Scenario;
  round: number;
  path: PathName;
  producer?: ProducerResult;
  failure?: string;
  stored: number;
  storedRows: number;
  accepted: number;
  /** First span ended (sustained) or burst handed over (shutdown called) → last span stored. */
  drainPhoenixSeconds: number;
  /** Hand-over done → first request at the server. */
  firstRequestPhoenixSeconds: number;
  /** First request → last answer, no request of the path's route in flight (the route's worker had nothing to do). */
  routeIdlePhoenixSeconds: number;
  rejectedAtCapacity: number;
  clientDisconnects: number;
  peakQueueDepth: number;
  restStalls: number;
  maxAnswerPhoenixMillis: number;
  violations: number;
  stderrTail: string;
}

async function runOne(scenario: Scenario, round: number, path: PathName): Promise<Run> {
  const server = await startPhoenixServer({ speed: { timeScale: TIME_SCALE, seed: scenario.seed + 1000 * round } });
  const warmup = await startPhoenixServer();
  let lastStored = 0;
  let lastStoredAt = now();
  const onSpans = () => {
    if (server.counters.spansStored !== lastStored) {
      lastStored = server.counters.spansStored;
      lastStoredAt = now();
    }
  };
  server.events.on("spans", onSpans);
  const job: ProducerJob = {
    path,
    url: server.url,
    project: "speed-bench",
    timeScale: TIME_SCALE,
    count: scenario.count,
    ...(scenario.rate !== undefined ? { ratePerSecond: scenario.rate / TIME_SCALE } : {}),
    textSeed: scenario.seed,
    warmupUrl: warmup.url,
    warmupSpans: WARMUP_SPANS,
  };
  const child = spawn(process.execPath, ["--import", "tsx", PRODUCER, JSON.stringify(job)], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "pipe", "ipc"],
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_") && !k.startsWith("PHOENIX_"))),
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let producer: ProducerResult | undefined;
  child.on("message", (m) => (producer = m as ProducerResult));
  // Bounded: a run that hangs is killed (its own child, by pid) after 15 minutes of wall time.
  const killer = setTimeout(() => child.kill("SIGKILL"), 15 * 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  clearTimeout(killer);

  // Drained: nothing queued and nothing stored for 30 s of Phoenix time (longer than a REST stall); bounded.
  const quietMillis = 30_000 * TIME_SCALE;
  const giveUpAt = now() + Math.max(60_000, ((scenario.count / STORAGE_RATE) * 1000 * TIME_SCALE) * 2);
  while (now() < giveUpAt) {
    onSpans();
    if (server.counters.queueDepth === 0 && now() - lastStoredAt >= quietMillis) break;
    await sleep(20);
  }
  server.events.off("spans", onSpans);
  const rows = server.spans();
  // Phoenix time of an epoch instant: the server's clock started at `origin`.
  const origin = now() - (server.speed?.now() ?? 0) * TIME_SCALE;
  const model = (epoch: number) => (epoch - origin) / TIME_SCALE;
  const route = path.startsWith("rest") ? "rest" : "otlp";
  const mine = (server.speed?.answers ?? []).filter((a) => a.route === route).sort((a, b) => a.arrivedAt - b.arrivedAt);
  let idle = 0;
  let busyUntil = mine[0]?.arrivedAt ?? 0;
  for (const a of mine) {
    if (a.arrivedAt > busyUntil) idle += a.arrivedAt - busyUntil;
    busyUntil = Math.max(busyUntil, a.answeredAt);
  }
  const handedOverAt = producer ? (scenario.rate === undefined ? producer.firstEndAt + producer.produceMillis : producer.firstEndAt) : 0;
  const stored = new Set(rows.map((s) => s.context.span_id)).size;
  const answers = server.speed?.answers ?? [];
  const run: Run = {
    scenario,
    round,
    path,
    ...(producer ? { producer } : { failure: `producer exited ${exitCode} without a result` }),
    stored,
    storedRows: rows.length,
    accepted: server.counters.spansAccepted,
    drainPhoenixSeconds: producer ? phoenixSeconds(lastStoredAt - handedOverAt) : NaN,
    firstRequestPhoenixSeconds: producer && mine[0] ? (mine[0].arrivedAt - model(handedOverAt)) / 1000 : NaN,
    routeIdlePhoenixSeconds: idle / 1000,
    rejectedAtCapacity: server.counters.rejectedAtCapacity,
    clientDisconnects: server.counters.clientDisconnects,
    peakQueueDepth: server.counters.peakQueueDepth,
    restStalls: server.speed?.restStalls ?? 0,
    maxAnswerPhoenixMillis: answers.reduce((m, a) => Math.max(m, a.millis), 0),
    violations: server.violations.length,
    stderrTail: stderr,
  };
  await server.close();
  await warmup.close();
  return run;
}

// ---------------------------------------------------------------- report

interface OurStats {
  received: number;
  exported: number;
  duplicate: number;
  retried: number;
  unknown: number;
  spooled: number;
  replayed: number;
  dropped: Record<string, number> & { total: number };
  spool?: { spans: number };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const sec = (s: number) => (Number.isFinite(s) ? s.toFixed(s < 10 ? 1 : 0) : "–");

function whereLost(run: Run): string {
  const p = run.producer!;
  const lost = p.handedOver - run.stored;
  if (p.stats) {
    const s = p.stats as OurStats;
    const parts = Object.entries(s.dropped)
      .filter(([k, v]) => k !== "total" && v > 0)
      .map(([k, v]) => `dropped ${k} ${int(v)}`);
    if (s.unknown > 0) parts.push(`unknown ${int(s.unknown)}`);
    if (s.spool && s.spool.spans > 0) parts.push(`left in spool ${int(s.spool.spans)}`);
    const announced = Object.keys(p.warnings).includes("PHOENIX_CONNECTOR_SPANS_LOST") ? " (announced: process warning)" : "";
    if (parts.length === 0) return lost === 0 ? "–" : `unaccounted ${int(lost)}`;
    return parts.join(", ") + announced;
  }
  const b = p.bsp!;
  const neverExported = p.handedOver - b.exportedOk - b.exportFailed;
  const parts: string[] = [];
  if (neverExported > 0) parts.push(`onEnd queue-full ${int(neverExported)} (silent)`);
  if (b.exportFailed > 0) parts.push(`export failed ${int(b.exportFailed)}`);
  if (p.shutdownError) parts.push(`shutdown() rejected: ${p.shutdownError}`);
  return parts.join(", ") || (lost === 0 ? "–" : `unaccounted ${int(lost)}`);
}

function row(run: Run): string {
  if (!run.producer) return `| ${run.path} | ${run.failure} |`;
  const p = run.producer;
  const lost = p.handedOver - run.stored;
  const ideal = run.stored / STORAGE_RATE;
  const ratio = ideal / run.drainPhoenixSeconds;
  const retried = p.stats ? (p.stats as OurStats).retried : undefined;
  return [
    run.path + (ROUNDS > 1 ? ` r${run.round + 1}` : ""),
    int(p.handedOver),
    int(run.stored) + (run.storedRows !== run.stored ? ` (${int(run.storedRows - run.stored)} dup rows)` : ""),
    lost === 0 ? "**0**" : `**${int(lost)}**`,
    whereLost(run),
    sec(phoenixSeconds(p.shutdownMillis)),
    sec(run.drainPhoenixSeconds),
    `${sec(ideal)} → ${(100 * ratio).toFixed(0)}% / ${(100 * (ideal / (run.drainPhoenixSeconds - run.firstRequestPhoenixSeconds))).toFixed(0)}%`,
    `${sec(run.firstRequestPhoenixSeconds)} / ${sec(run.routeIdlePhoenixSeconds)}`,
    `${int(run.rejectedAtCapacity)}${retried !== undefined ? ` / ${int(retried)}` : ""}`,
    `${mib(p.peakRssBytes)} (+${mib(p.peakRssBytes - p.rssBaselineBytes)})`,
    mib(p.peakHeapUsedBytes),
    `${p.endMicros.p50.toFixed(1)} / ${p.endMicros.p99.toFixed(1)} / ${int(p.endMicros.max)}`,
  ].join(" | ").replace(/^/, "| ").concat(" |");
}

const HEADER =
  "| path | handed over | stored | lost | where lost | shutdown returned (s) | drained (s) | ideal at 100/s → rate reached (from hand-over / from first request) | first request after / route idle (s) | 503s / retried | peak RSS MiB (+over start) | peak heap MiB | span.end() p50 / p99 / max µs |\n" +
  "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|";

function transportTable(runs: Run[]): string {
  const lines = ["| scenario | path | shutdown returned (s) | stored | lost | OTLP 503s | retried | REST stalls / longest answer (s) |", "|---|---|---:|---:|---:|---:|---:|---:|"];
  for (const r of runs) {
    if (!r.producer || !["rest", "otlp"].includes(r.path)) continue;
    const s = r.producer.stats as OurStats;
    lines.push(
      `| ${r.scenario.name} | ${r.path} | ${sec(phoenixSeconds(r.producer.shutdownMillis))} | ${int(r.stored)} | ${int(r.producer.handedOver - r.stored)} | ${int(r.rejectedAtCapacity)} | ${int(s.retried)} | ${r.path === "rest" ? `${int(r.restStalls)} / ${(r.maxAnswerPhoenixMillis / 1000).toFixed(1)}` : `– / ${(r.maxAnswerPhoenixMillis / 1000).toFixed(1)}`} |`,
    );
  }
  return lines.join("\n");
}

function report(runs: Run[], startedAt: Date, wallSeconds: number, load: number[]): string {
  const cpu = cpus();
  const notesFile = fileURLToPath(new URL("./phoenix-speed/notes.md", import.meta.url));
  const notes = existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "";
  const out: string[] = [
    "# Delivery at Phoenix's speed under load",
    "",
    "Generated by `npm run bench:phoenix-speed` (bench/phoenix-speed.ts); do not edit by hand: the reading below comes from bench/phoenix-speed/notes.md.",
    "",
    `- Run: ${startedAt.toISOString()}, ${Math.round(wallSeconds)} s wall in all; ${ROUNDS} round${ROUNDS > 1 ? "s" : ""}.`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; shared with other test runs (load average at start ${load.map((l) => l.toFixed(2)).join(" / ")}).`,
    `- Node ${process.version}; OpenTelemetry comparison: \`@opentelemetry/sdk-trace-base\` 2.x \`BatchSpanProcessor\` (defaults: queue 2,048, batch 512, 5 s) + \`otel2-exporter-trace-otlp-proto\`.`,
    `- Time scale ${TIME_SCALE}: every Phoenix duration × ${TIME_SCALE}, every rate ÷ ${TIME_SCALE} (100 spans/s stored = ${int(STORAGE_RATE / TIME_SCALE)}/s wall). The exporters' time options (request timeout, progress timeout, retry backoffs, batch delays; BSP's 5 s / 30 s and OTLP's 10 s) are scaled alike. **Times below are Phoenix seconds** (wall ÷ ${TIME_SCALE}); CPU-bound work in the producer (mapping, encoding, the tight loop) is not scaled, so it weighs ${int(1 / TIME_SCALE)}× more in Phoenix seconds than it would at real speed.`,
    `- Server seeds: scenario seed + 1000 × round (${SCENARIOS.map((s) => `${s.name} ${s.seed}`).join(", ")}); the same seed for every path of a scenario. Spans: ~1.5 KB OpenInference LLM spans, the same ids and text in every path (bench/phoenix-speed/spans.ts).`,
    `- Each run: a fresh server and a fresh producer process (\`node --import tsx\`), warmed up first with ${int(WARMUP_SPANS)} spans through the same path to a second server that answers at once (modules loaded, JIT warm; not measured); spans ended in a tight loop (bursts) or paced (sustained), then \`shutdown()\` at once. Lost = handed over − distinct span ids stored once the server has drained (nothing queued, nothing stored for 30 Phoenix s). Drained = burst handed over (the tight loop done, \`shutdown()\` called; for the sustained run: first span ended) → last span stored; \"rate reached\" = (stored ÷ 100/s) ÷ drained (goal ≥ 95%). \"First request after\": hand-over → the first request at the server; \"route idle\": between the first request and the last answer, time with no request of the path's route (REST or OTLP) in flight at the server, i.e. time the exporter left Phoenix's ingest worker without work. Shutdown returned: from the \`shutdown()\` call. 503s: OTLP answers at capacity (server count); retried: our stats(). Spool paths use a fresh temp directory.`,
    "",
  ];
  for (const scenario of SCENARIOS) {
    out.push(`## ${scenario.title}`, "", HEADER);
    for (const r of runs.filter((r) => r.scenario === scenario)) out.push(row(r));
    const sustained = runs.filter((r) => r.scenario === scenario && r.producer?.achievedRatePerSecond);
    if (sustained.length) {
      out.push("", `Producer rate reached (Phoenix spans/s): ${sustained.map((r) => `${r.path} ${(r.producer!.achievedRatePerSecond! * TIME_SCALE).toFixed(0)}`).join(", ")}.`);
    }
    out.push("");
  }
  out.push("## Transport: REST vs OTLP (this package, no spool)", "", transportTable(runs), "");
  const bad = runs.filter((r) => r.violations > 0);
  if (bad.length) out.push(`Server contract violations in: ${bad.map((r) => `${r.scenario.name}/${r.path} (${r.violations})`).join(", ")}.`, "");
  if (notes) out.push(notes.trim(), "");
  return out.join("\n");
}

// ---------------------------------------------------------------- main

const startedAt = new Date();
const load = loadavg();
const started = performance.now();
const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const scenario of SCENARIOS) {
    for (const path of PATHS) {
      const t = performance.now();
      const run = await runOne(scenario, round, path);
      runs.push(run);
      const p = run.producer;
      process.stdout.write(
        `${scenario.name} ${path}: ${p ? `handed ${p.handedOver}, stored ${run.stored}, lost ${p.handedOver - run.stored}, shutdown ${sec(phoenixSeconds(p.shutdownMillis))} s, drained ${sec(run.drainPhoenixSeconds)} s, 503s ${run.rejectedAtCapacity}, rss ${mib(p.peakRssBytes)} MiB, end p99 ${p.endMicros.p99.toFixed(1)} µs` : run.failure} (${((performance.now() - t) / 1000).toFixed(1)} s wall)\n`,
      );
      if (!p) process.stdout.write(run.stderrTail + "\n");
      writeFileSync(OUT, report(runs, startedAt, (performance.now() - started) / 1000, load));
      writeFileSync(join(tmpdir(), "phoenix-speed-runs.json"), JSON.stringify(runs.map((r) => ({ ...r, scenario: r.scenario.name })), null, 1));
    }
  }
}
process.stdout.write(`wrote ${OUT}\n`);
