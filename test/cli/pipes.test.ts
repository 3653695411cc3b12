import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { TRACE_A, seedThreeTraces } from "./fixtures/three-traces.js";
import { runCliWithClosedPipe, type CliRun } from "./run-cli.js";

let server: PhoenixTestServer;
let dir: { path: string; remove: () => void };
beforeAll(async () => {
  server = await startPhoenixServer();
  dir = temporaryDirectory("phoenix-cli-pipes-");
  await seedThreeTraces(server.url, "runs");
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

/** Quiet: exit 0, and nothing on stderr that looks like a crash. */
function expectQuiet(run: CliRun): void {
  expect(run.stderr).not.toMatch(/EPIPE|Unhandled|'error' event|\n\s+at /);
  expect(run.code).toBe(0);
}

describe("a reader that stops early (| head -1) ends the command quietly with 0", () => {
  it("doctor (Phoenix and a local store), with stdout closed before it writes and after its first line", async () => {
    const runs = await Promise.all([
      runCliWithClosedPipe(["doctor", "--endpoint", server.url], { stream: "stdout", when: "at-once" }),
      runCliWithClosedPipe(["doctor", "--endpoint", server.url], { stream: "stdout", when: "after-first-line" }),
      runCliWithClosedPipe(["doctor", "--endpoint", `file://${dir.path}/store`], { stream: "stdout", when: "at-once" }),
    ]);
    for (const run of runs) expectQuiet(run);
    expect(runs[1]!.stdout).toMatch(/^\[ok\]   configuration/);
  });

  it("export -o - with stdout closed; export to a file with stderr (progress) closed", async () => {
    const [toStdout, afterLine, progressGone] = await Promise.all([
      runCliWithClosedPipe(["export", "--project", "runs", "-o", "-", "--endpoint", server.url], { stream: "stdout", when: "at-once" }),
      runCliWithClosedPipe(["export", "--project", "runs", "-o", "-", "--endpoint", server.url], { stream: "stdout", when: "after-first-line" }),
      runCliWithClosedPipe(["export", "--trace", TRACE_A, "--project", "runs", "-o", `${dir.path}/a.jsonl`, "--endpoint", server.url], {
        stream: "stderr",
        when: "at-once",
      }),
    ]);
    expectQuiet(toStdout);
    expectQuiet(afterLine);
    expect(afterLine.stdout.split("\n")[0]).toMatch(/^\{"type":"header"/);
    // A closed stderr only silences the progress: the export completes.
    expect(progressGone.code).toBe(0);
    expect(existsSync(`${dir.path}/a.jsonl`)).toBe(true);
  });

  it("compare and detect, with stdout closed", async () => {
    const runs = await Promise.all([
      runCliWithClosedPipe(["compare", TRACE_A, "--project", "runs", "--endpoint", server.url], { stream: "stdout", when: "at-once" }),
      runCliWithClosedPipe(["detect", "--context", "Paris is in France.", "--response", "Paris is in France.", "--json"], { stream: "stdout", when: "at-once" }),
      runCliWithClosedPipe(["--help"], { stream: "stdout", when: "at-once" }),
    ]);
    for (const run of runs) expectQuiet(run);
  });

  it("an error with stderr closed still exits with its code, and nothing crashes", async () => {
    const run = await runCliWithClosedPipe(["compare", "not-a-trace-id", "--endpoint", server.url], { stream: "stderr", when: "at-once" });
    // Nobody reads the message any more, but a usage error is still not a success.
    expect(run.code).toBe(2);
  });
});
