import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { ABSENT_TRACE, TRACE_A, TRACE_B, TRACE_C, seedThreeTraces } from "./fixtures/three-traces.js";
import { runCli } from "./run-cli.js";

let server: PhoenixTestServer;
const dir = temporaryDirectory("phoenix-cli-compare-");
const local = `file://${dir.path}`;

beforeAll(async () => {
  server = await startPhoenixServer();
  await Promise.all([seedThreeTraces(server.url, "runs"), seedThreeTraces(local, "runs")]);
});
afterAll(async () => {
  await server.close();
  dir.remove();
  expect(server.violations).toEqual([]);
});

describe("phoenix-connector compare", () => {
  it("prints a readable table, as JSON and as Markdown, from Phoenix and the local store; exit 0", async () => {
    const traces = [TRACE_A, TRACE_B, TRACE_C];
    const [table, json, markdown, offline] = await Promise.all([
      runCli(["compare", ...traces, "--endpoint", server.url, "--project", "runs"]),
      runCli(["compare", ...traces, ABSENT_TRACE, "--json"], { PHOENIX_COLLECTOR_ENDPOINT: server.url, PHOENIX_PROJECT: "runs" }),
      runCli(["compare", ...traces, "--markdown", "--endpoint", server.url, "--project", "runs"]),
      runCli(["compare", ...traces.map((t) => t.toUpperCase()), "--endpoint", local, "--project", "runs"]),
    ]);
    for (const run of [table, json, markdown, offline]) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    expect(table.stdout).toMatch(/^Traces \(3 compared; A is the baseline\)$/m);
    expect(table.stdout).toMatch(/^ {2}latency_ms ↓ +1000 +800 \* \(-200, -20%\) +1500 \(\+500, \+50%\)$/m);
    expect(table.stdout).toMatch(/^ {2}tokens\.total ↓ +120 +110 \* \(-10, -8%\) +200 \(\+80, \+67%\)$/m);
    expect(table.stdout).toMatch(/^ {2}accuracy ↑ +0\.8 +0\.9 \* \(\+0\.1, \+12%\) +0\.6 \(-0\.2, -25%\)$/m);
    expect(table.stdout).toMatch(/^ {4}retrieve\[2\] +100 +— +50$/m);
    // The same comparison offline (ids given in capitals are read as Phoenix writes them).
    expect(offline.stdout.replaceAll("runs", "")).toBe(table.stdout.replaceAll("runs", ""));

    const comparison = JSON.parse(json.stdout) as { traces: Array<{ traceId: string; latencyMs: number }>; missing: string[]; summary: Array<{ metric: string; best: string }> };
    expect(comparison.traces.map((t) => [t.traceId, t.latencyMs])).toEqual([[TRACE_A, 1000], [TRACE_B, 800], [TRACE_C, 1500]]);
    expect(comparison.missing).toEqual([ABSENT_TRACE]);
    expect(comparison.summary.find((m) => m.metric === "cost.total")!.best).toBe(TRACE_B);

    expect(markdown.stdout).toContain("#### Metrics (* best, ↓ lower is better, ↑ higher; change against A)");
    expect(markdown.stdout).toContain("| latency_ms ↓ | 1000 | 800 * (-200, -20%) | 1500 (+500, +50%) |");
  });

  it("exits 1 when no trace is found, 2 for a malformed id or clashing flags, without a stack trace", async () => {
    const [none, malformed, clash] = await Promise.all([
      runCli(["compare", ABSENT_TRACE, "--endpoint", server.url, "--project", "runs"]),
      runCli(["compare", "nope", "--endpoint", server.url]),
      runCli(["compare", TRACE_A, "--json", "--markdown", "--endpoint", server.url]),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^phoenix-connector: None of the traces d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4 is stored in project "runs"/);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('"nope" is not a trace id (32 lowercase hex characters');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("Choose one of --json and --markdown.");
    expect(clash.stderr).toContain("(see phoenix-connector compare --help)");
    for (const run of [none, malformed, clash]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
