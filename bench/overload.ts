/**
 * Overload cost (issue 16): CPU per delivered span while a backlog drains
 * into a slow Phoenix must not grow with the backlog.
 *
 * For each backlog (default 1,000, 10,000, 50,000 distinct spans of the
 * `agent-small` mix, so 50,000 fit in memory) and round, a fresh Phoenix
 * test server at "Phoenix speed" (test/servers/SPEED.md: REST ~120 spans/s
 * accepted with multi-second stalls; OTLP ~1,300 spans/s; on a time scale) runs
 * here, and a fresh process (bench/overload/drainer.ts) warms a
 * PhoenixSpanProcessor up against a second server that answers at once,
 * hands it the whole backlog, and waits (forceFlush) until Phoenix has
 * acknowledged every span. Its queue bounds are raised to hold the backlog, so
 * nothing is dropped or spooled: what is measured is the cost of draining.
 *
 *   npx tsx bench/overload.ts [--backlogs 1000,10000,50000] [--rounds 3] [--transport rest|otlp]
 *                             [--time-scale 0.02] [--mix agent-small] [--profile DIR] [--capacity N]
 *
 * --capacity N sets the server's OTLP ingest queue (Phoenix's
 * PHOENIX_MAX_SPANS_QUEUE_SIZE, default 20,000): above the backlog, OTLP
 * never answers 503, which separates the cost of a long queue from the cost
 * of Phoenix pushing back.
 *
 * --profile DIR writes a .cpuprofile of each drainer process into DIR
 * (`npx tsx bench/profile-summary.ts FILE` reads one).
 *
 * Reported (median of rounds, min–max): the drainer's CPU µs per delivered
 * span for hand-over + drain, for the drain alone, per tenth of the
 * backlog in delivery order (first tenth = longest queue), the drain's wall
 * time against the server's accepted rate, and peak heap / RSS over baseline.
 */
import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startPhoenixServer } from "../test/servers/phoenix-server.js";
import { spread } from "./measure/stats.js";
import type { DrainJob, DrainResult } from "./overload/drainer.js";
import type { MixName } from "./workload/workload.js";

const { values: args } = parseArgs({
  options: {
    backlogs: { type: "string", default: "1000,10000,50000" },
    rounds: { type: "string", default: "3" },
    transport: { type: "string", default: "rest" },
    "time-scale": { type: "string" },
    mix: { type: "string", default: "agent-small" },
    seed: { type: "string", default: "42" },
    profile: { type: "string" },
    capacity: { type: "string" },
  },
});
const BACKLOGS = args.backlogs.split(",").map(Number);
const ROUNDS = Number(args.rounds);
const TRANSPORT = args.transport as "rest" | "otlp";
// REST accepts ~120 spans/s (Phoenix time), OTLP ~1,300: scales that make both drain at a few thousand spans/s of wall time.
const TIME_SCALE = Number(args["time-scale"] ?? (TRANSPORT === "rest" ? 0.02 : 0.2));

function runOnce(job: DrainJob): Promise<DrainResult> {
  const child = fork(resolve(import.meta.dirname, "overload/drainer.ts"), [JSON.stringify(job)], {
    execArgv: [
      "--import",
      "tsx",
      "--expose-gc",
      "--max-old-space-size=4096",
      ...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${resolve(args.profile)}`] : []),
    ],
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PHOENIX_") && !k.startsWith("OTEL_"))), PHOENIX_DISCOVER_CONFIG: "false" },
    stdio: "inherit",
  });
  return new Promise((resolvePromise, reject) => {
    let result: DrainResult | undefined;
    child.on("message", (m: { kind: string; message?: string }) => {
      if (m.kind === "result") result = m as DrainResult;
      else if (m.kind === "error") reject(new Error(m.message));
    });
    child.on("exit", (code) => (result ? resolvePromise(result) : reject(new Error(`drainer exited ${code} without a result`))));
  });
}

const fmt = (v: number, d = 1) => v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const withSpread = (values: number[], d = 1) => {
  const s = spread(values);
  return `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`;
};

async function main(): Promise<void> {
  const fast = await startPhoenixServer({ strict: false });
  const results = new Map<number, DrainResult[]>(BACKLOGS.map((b) => [b, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const backlog of BACKLOGS) {
        const server = await startPhoenixServer({
          strict: false,
          speed: { timeScale: TIME_SCALE, seed: 1 + round },
          ...(args.capacity ? { ingestQueueCapacity: Number(args.capacity) } : {}),
        });
        try {
          const r = await runOnce({
            url: server.url,
            warmupUrl: fast.url,
            backlog,
            warmupSpans: 5_000,
            mix: args.mix as MixName,
            seed: Number(args.seed) + round,
            timeScale: TIME_SCALE,
            transport: TRANSPORT,
          });
          if (r.delivered !== backlog) throw new Error(`backlog ${backlog}: ${r.delivered} delivered`);
          r.rejectedAtCapacity = server.counters.rejectedAtCapacity;
          results.get(backlog)!.push(r);
          process.stderr.write(
            `overload ${TRANSPORT} round ${round + 1} backlog ${backlog}: ${fmt((r.handOverMicros + r.drainCpuMicros) / backlog)} µs/span in all, ` +
              `drain ${fmt(r.drainCpuMicros / backlog)} µs/span over ${fmt(r.drainWallMillis / 1000, 1)} s; ` +
              `retried ${(r.stats as { retried?: number }).retried ?? 0} requests, 503 at capacity ${r.rejectedAtCapacity}; tenths ${r.sliceMicros.map((s) => fmt(s)).join(" ")}; load ${fmt(loadavg()[0]!, 2)}\n`,
          );
        } finally {
          await server.close();
        }
      }
    }
  } finally {
    await fast.close();
  }
  const lines = [
    `Overload: ${TRANSPORT}, time scale ${TIME_SCALE}, mix ${args.mix}, ${ROUNDS} rounds, Node ${process.version}` +
      (args.capacity ? `, OTLP ingest queue ${args.capacity}` : ""),
    "",
    "| backlog (spans) | CPU µs / delivered span, hand-over + drain | drain only | first tenth (longest queue; hand-over and most of the mapping) | tenths 2–10, median | drain wall s (spans/s) | retried requests / 503s at capacity | peak heap over baseline MiB | peak RSS over baseline MiB |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [backlog, list] of results) {
    const wall = spread(list.map((r) => r.drainWallMillis / 1000)).median;
    lines.push(
      `| ${backlog.toLocaleString("en-US")} | ${withSpread(list.map((r) => (r.handOverMicros + r.drainCpuMicros) / backlog))} | ${withSpread(list.map((r) => r.drainCpuMicros / backlog))} | ` +
        `${withSpread(list.map((r) => r.sliceMicros[0] ?? Number.NaN))} | ${withSpread(list.map((r) => spread(r.sliceMicros.slice(1)).median))} | ` +
        `${fmt(wall, 1)} (${fmt(backlog / wall, 0)}) | ${fmt(spread(list.map((r) => (r.stats as { retried?: number }).retried ?? 0)).median, 0)} / ${fmt(spread(list.map((r) => r.rejectedAtCapacity ?? 0)).median, 0)} | ${fmt(spread(list.map((r) => r.peakHeapOverBaseline / 2 ** 20)).median)} | ${fmt(spread(list.map((r) => r.peakRssOverBaseline / 2 ** 20)).median)} |`,
    );
  }
  lines.push("", "CPU µs per delivered span in each tenth of the backlog, in delivery order (median of rounds):", "");
  for (const [backlog, list] of results) {
    const tenths = Array.from({ length: 10 }, (_, i) => spread(list.map((r) => r.sliceMicros[i] ?? Number.NaN)).median);
    lines.push(`- ${backlog.toLocaleString("en-US")}: ${tenths.map((t) => fmt(t)).join(" · ")}`);
  }
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
