/**
 * A real-time 10-second Phoenix outage, measured (`npm run bench:outage`).
 *
 * A Phoenix-compatible server on 127.0.0.1 (test/servers/phoenix-server.ts)
 * receives spans from an application process (bench/outage-app.ts) emitting
 * RATE spans/s of about 1.6 KB through PhoenixSpanProcessor with a spool and a
 * 4 MiB memory cap. Two seconds in, every span delivery gets 503 for ten
 * seconds; then Phoenix answers again. Reported: spans emitted and stored
 * (each exactly once?), resident memory of the application during the
 * outage, the spool's high-water mark, and the replay rate.
 *
 * LATENCY_MS (default 0) delays every span request, e.g. 200 to answer as
 * slowly as Phoenix 20.3 does for a 50-span REST request (BEHAVIOUR.md);
 * the test server does not model Phoenix's storage rate (100–200 spans/s).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DeliveryStats } from "../src/index.js";
import { isSpanDelivery, outage } from "../test/servers/faults.js";
import { startPhoenixServer } from "../test/servers/phoenix-server.js";

const RATE = Number(process.env.RATE ?? 500);
const OUTAGE_SECONDS = 10;
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 0);
const CAP = 4 * 1024 * 1024;
const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const server = await startPhoenixServer();
  const down = outage();
  down.active = false;
  server.faults.push(down);
  if (LATENCY_MS > 0) server.faults.push((request) => (isSpanDelivery(request) ? { kind: "stall", millis: LATENCY_MS } : undefined));
  const spoolDir = mkdtempSync(join(tmpdir(), "px-bench-outage-"));
  const app = fork(resolve(import.meta.dirname, "outage-app.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, PHOENIX_URL: server.url, SPOOL_DIR: spoolDir, RATE: String(RATE), SECONDS: "16", MAX_QUEUED_BYTES: String(CAP) },
  });

  const started = Date.now();
  let baseline = 0;
  let peakDuring = 0;
  let peakOverall = 0;
  let spoolPeak = { spans: 0, bytes: 0 };
  let outageEndedAt = 0;
  let spoolDrainedAt = 0;
  let firstReplayAt = 0;
  let replayedAtFirst = 0;
  let emitted = 0;
  let final: DeliveryStats | undefined;

  setTimeout(() => (down.active = true), 2_000);
  setTimeout(() => {
    down.active = false;
    outageEndedAt = Date.now();
  }, 2_000 + OUTAGE_SECONDS * 1000);

  app.on("message", (message: { kind: string; rss?: number; stats: DeliveryStats; emitted?: number }) => {
    const t = Date.now() - started;
    if (message.kind === "sample") {
      const rss = message.rss!;
      if (t < 2_000) baseline = Math.max(baseline, rss);
      if (down.active) peakDuring = Math.max(peakDuring, rss);
      peakOverall = Math.max(peakOverall, rss);
      const spool = message.stats.spool ?? { spans: 0, bytes: 0 };
      if (spool.spans > spoolPeak.spans) spoolPeak = { spans: spool.spans, bytes: spool.bytes };
      if (outageEndedAt > 0 && firstReplayAt === 0 && message.stats.replayed > 0) {
        firstReplayAt = Date.now();
        replayedAtFirst = message.stats.replayed;
      }
      if (outageEndedAt > 0 && spoolDrainedAt === 0 && spool.spans === 0) spoolDrainedAt = Date.now();
    } else if (message.kind === "emitted") {
      emitted = message.emitted!;
    } else if (message.kind === "done") {
      final = message.stats;
    }
  });
  await new Promise((resolvePromise) => app.on("exit", resolvePromise));
  if (spoolDrainedAt === 0) spoolDrainedAt = Date.now();

  const stored = server.spans("bench-outage").map((s) => s.context.span_id);
  const unique = new Set(stored).size;
  const replayed = final?.replayed ?? 0;
  const replaySeconds = (spoolDrainedAt - firstReplayAt) / 1000;
  const resumeSeconds = (firstReplayAt - outageEndedAt) / 1000;
  const lines = [
    `rate ${RATE} spans/s of ~1.6 KB, outage ${OUTAGE_SECONDS} s (503 on every span delivery), memory cap ${MiB(CAP)}, latency ${LATENCY_MS} ms`,
    `emitted ${emitted}; stored ${stored.length} (${unique} distinct); missing ${emitted - unique}`,
    `exporter: exported ${final?.exported}, duplicate ${final?.duplicate}, retried ${final?.retried}, spooled ${final?.spooled}, replayed ${replayed}, dropped ${final?.dropped.total}`,
    `resident memory: ${MiB(baseline)} before the outage, peak ${MiB(peakDuring)} during it (+${MiB(peakDuring - baseline)}), peak ${MiB(peakOverall)} overall`,
    `spool high-water mark: ${spoolPeak.spans} spans, ${MiB(spoolPeak.bytes)}`,
    `replay: first spooled span delivered ${resumeSeconds.toFixed(1)} s after Phoenix answered again; spool drained ${replaySeconds.toFixed(1)} s later: ` +
      `${Math.round((replayed - replayedAtFirst) / Math.max(replaySeconds, 0.001))} spans/s from the spool while ${RATE} new spans/s kept arriving`,
  ];
  console.log(lines.join("\n"));
  rmSync(spoolDir, { recursive: true, force: true });
  await server.close();
}

void main();
