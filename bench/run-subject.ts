import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import type { SinkProcess } from "./sink/sink-process.js";
import type { RunConfig, RunResult } from "./subject-process.js";

export interface MeasuredRun extends RunResult {
  /** Bytes the sink read during the measured window, request heads included. */
  wireBytes: number;
  bodyBytes: number;
  requests: number;
  /** CPU time of the sink process during the measured window. */
  sinkCpuMicros: number;
  /** The machine's 1-minute load average when the run ended. */
  loadAverage: number;
}

/** The environment of a measured process: no PHOENIX_* / OTEL_* settings of the caller's leak into the defaults measured. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("PHOENIX_") && !key.startsWith("OTEL_") && !key.startsWith("OPENINFERENCE_")) env[key] = value;
  }
  env.PHOENIX_DISCOVER_CONFIG = "false";
  return env;
}

/** Runs bench/subject-process.ts once and adds the sink's byte counts of its measured window. */
export function runSubject(config: RunConfig, sink: SinkProcess): Promise<MeasuredRun> {
  const child = fork(resolve(import.meta.dirname, "subject-process.ts"), [JSON.stringify(config)], {
    // BENCH_NODE_FLAGS: V8 flags for the measured process only, e.g. "--trace-gc" (NODE_OPTIONS refuses them).
    execArgv: ["--import", "tsx", "--expose-gc", ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])],
    env: cleanEnvironment(),
    stdio: "inherit",
  });
  const marks = new Map<string, Awaited<ReturnType<SinkProcess["counters"]>>>();
  return new Promise((resolvePromise, reject) => {
    let result: RunResult | undefined;
    child.on("message", (message: { kind: string; label?: string; message?: string }) => {
      switch (message.kind) {
        case "mark":
          void sink.counters().then((counters) => {
            marks.set(message.label!, counters);
            child.send({ kind: "marked", label: message.label });
          });
          break;
        case "result":
          result = message as unknown as RunResult;
          break;
        case "error":
          reject(new Error(`${config.subject}: ${message.message}`));
          child.kill();
          break;
      }
    });
    child.on("exit", (code) => {
      const start = marks.get("start");
      const end = marks.get("end");
      if (!result || !start || !end) {
        reject(new Error(`${config.subject}: the measuring process exited (${code}) without a result`));
        return;
      }
      resolvePromise({
        ...result,
        wireBytes: end.wireBytes - start.wireBytes,
        bodyBytes: end.bodyBytes - start.bodyBytes,
        requests: end.requests - start.requests,
        sinkCpuMicros: end.cpuMicros - start.cpuMicros,
        loadAverage: loadavg()[0]!,
      });
    });
  });
}
