import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PhoenixConnector } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { runCli } from "./run-cli.js";

/** `phoenix-connector compare --experiment A B`, from Phoenix and from the local store. */
let server: PhoenixTestServer;
const dir = temporaryDirectory("phoenix-cli-experiments-");
const local = `file://${dir.path}`;
const ids: Record<string, [string, string]> = {};

const EXAMPLES = [
  { input: { question: "Capital of France?" }, reference: "Paris" },
  { input: { question: "2 + 2?" }, reference: "4" },
];

async function seed(endpoint: string): Promise<[string, string]> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint, projectId: "exp" });
  try {
    const a = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Paris", "5"], experimentName: "v1" });
    const b = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Lyon", "4"], experimentName: "v2" });
    return [a.experimentId, b.experimentId];
  } finally {
    await connector.disconnect();
  }
}

beforeAll(async () => {
  server = await startPhoenixServer();
  ids.server = await seed(server.url);
  ids.local = await seed(local);
});
afterAll(async () => {
  await server.close();
  dir.remove();
  expect(server.violations).toEqual([]);
});

describe("phoenix-connector compare --experiment", () => {
  it("prints the experiment comparison as a table, JSON and Markdown, from Phoenix and the local store", async () => {
    const [a, b] = ids.server!;
    const [table, json, markdown, offline] = await Promise.all([
      runCli(["compare", "--experiment", a, b, "--endpoint", server.url]),
      runCli(["compare", "--experiment", a, b, "--json"], { PHOENIX_COLLECTOR_ENDPOINT: server.url }),
      runCli(["compare", "--markdown", "--experiment", a, b, "--endpoint", server.url]),
      runCli(["compare", "--experiment", ...ids.local!, "--endpoint", local]),
    ]);
    for (const run of [table, json, markdown, offline]) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    expect(table.stdout).toMatch(/^Experiments \(2 compared on dataset "qa"; A is the baseline\)$/m);
    expect(table.stdout).toMatch(/^ {2}accuracy ↑ +0\.5 \* +0\.5 \(±0\)$/m);
    expect(table.stdout).toMatch(/^Regressions \(1: /m);
    expect(table.stdout).toMatch(/^Improvements \(1: /m);
    expect(table.stdout).toContain(`Compare in Phoenix: ${server.url}/datasets/`);
    const comparison = JSON.parse(json.stdout) as { experiments: Array<{ id: string }>; regressions: Array<{ name: string }> };
    expect(comparison.experiments.map((e) => e.id)).toEqual([a, b]);
    expect(comparison.regressions.map((r) => r.name)).toEqual(["accuracy"]);
    expect(markdown.stdout).toContain("#### Scores (mean per run; * best, ↑ higher is better, ↓ lower; change against A)");
    expect(markdown.stdout).toContain("| accuracy ↑ | 0.5 * | 0.5 (±0) |");
    expect(offline.stdout).toMatch(/^ {2}accuracy ↑ +0\.5 \* +0\.5 \(±0\)$/m);
    expect(offline.stdout).toMatch(/^Stored in: file:\/\//m);
  });

  it("exits 1 for an unknown experiment and 2 for trace ids mixed with --experiment, without a stack trace", async () => {
    const [a] = ids.server!;
    const unknown = Buffer.from("Experiment:999").toString("base64");
    const [missing, mixed, nothing] = await Promise.all([
      runCli(["compare", "--experiment", a, unknown, "--endpoint", server.url]),
      runCli(["compare", "a".repeat(32), "--experiment", a, "--endpoint", server.url]),
      runCli(["compare", "--endpoint", server.url]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^phoenix-connector: .* has no experiment "RXhwZXJpbWVudDo5OTk="/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/Compare traces or experiments/);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/trace ids, or --experiment <id\.\.\.>/);
  });
});
