import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PhoenixConnector } from "../../src/index.js";
import { startPhoenixServer, type PhoenixTestServer } from "../servers/phoenix-server.js";
import { temporaryDirectory } from "../connector/support.js";
import { runCli } from "./run-cli.js";

/** `export --experiment` from the local store, `import` into Phoenix: the experiments travel with the file. */
let server: PhoenixTestServer;
const dir = temporaryDirectory("phoenix-cli-experiment-transfer-");
const local = `file://${dir.path}/store`;
let experimentIds: string[] = [];

beforeAll(async () => {
  server = await startPhoenixServer();
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  await connector.connect({ endpoint: local, projectId: "exp" });
  const examples = [{ input: { q: "1 + 1?" }, reference: "2" }, { input: { q: "2 + 2?" }, reference: "4" }];
  const jobId = await connector.submitJob({ jobName: "eval" });
  const a = await connector.logExperiment({ dataset: "math", examples, predictions: ["2", "5"], jobId, experimentName: "v1" });
  const b = await connector.logExperiment({ dataset: "math", examples, predictions: ["2", "4"], jobId, experimentName: "v2" });
  await connector.completeJob(jobId);
  await connector.disconnect();
  experimentIds = [a.experimentId, b.experimentId];
});
afterAll(async () => {
  await server.close();
  dir.remove();
  expect(server.violations).toEqual([]);
});

it("exports experiments with --experiment and imports them once, saying what it did", async () => {
  const file = join(dir.path, "runs.jsonl");
  const exported = await runCli(["export", "--project", "exp", "--experiment", ...experimentIds, "-o", file, "--endpoint", local]);
  expect(exported.stderr).not.toMatch(/warning|error/);
  expect(exported.code).toBe(0);
  expect(exported.stdout).toMatch(/, 2 experiment\(s\) with 4 run\(s\) from project "exp"/);

  const first = await runCli(["import", file, "--project", "exp", "--endpoint", server.url]);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain("Experiments: 2 imported (4 run(s), 4 evaluation(s)), 0 already there, 0 failed.");
  const again = await runCli(["import", file, "--project", "exp", "--endpoint", server.url]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("Experiments: 0 imported (0 run(s), 0 evaluation(s)), 2 already there, 0 failed.");
  expect(server.datasets.experiments.map((e) => e.name)).toEqual(["v1", "v2"]);

  const unknown = await runCli(["export", "--project", "exp", "--experiment", "RXhwZXJpbWVudDpub3Bl", "-o", join(dir.path, "x.jsonl"), "--endpoint", local]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/has no experiment "RXhwZXJpbWVudDpub3Bl"/);
}, 60_000);
