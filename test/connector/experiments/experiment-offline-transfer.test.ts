import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { PhoenixConnector, PhoenixExperimentNotFoundError } from "../../../src/index.js";
import { schemaValidator } from "../../servers/phoenix-schema.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "../support.js";

/**
 * Experiments offline (the file:// local store keeps them in Phoenix's
 * shapes) and carried by export/import to a Phoenix (the test server).
 */
let server: PhoenixTestServer;
let dir: { path: string; remove: () => void };
const open: PhoenixConnector[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  dir = temporaryDirectory();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.disconnect()));
  await server.close();
  dir.remove();
  vi.unstubAllEnvs();
  expect(server.violations).toEqual([]);
});

async function connect(endpoint: string, projectId = "exp"): Promise<PhoenixConnector> {
  const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
  open.push(connector);
  await connector.connect({ endpoint, projectId });
  return connector;
}

const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

const EXAMPLES = [
  { input: { question: "Capital of France?" }, reference: "Paris" },
  { input: { question: "2 + 2?" }, reference: "4" },
];

async function logTwo(connector: PhoenixConnector) {
  const jobId = await connector.submitJob({ jobName: "eval" });
  const v1 = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Paris", "5"], jobId, experimentName: "v1", evaluators: { short: ({ output }) => String(output).length < 3 } });
  const v2 = await connector.logExperiment({ dataset: "qa", examples: EXAMPLES, predictions: ["Paris", new Error("timeout")], jobId, experimentName: "v2" });
  await connector.completeJob(jobId);
  return { jobId, v1, v2 };
}

it("offline: the local store keeps datasets, experiments, runs and evaluations in the shapes Phoenix returns", async () => {
  const connector = await connect(`file://${dir.path}`);
  const { jobId, v1, v2 } = await logTwo(connector);
  expect(v2.datasetId).toBe(v1.datasetId);
  expect(v2.examplesAdded).toBe(0);
  expect(v1.scores.accuracy).toBe(0.5);
  expect(v1.url).toMatch(/^file:\/\/.*experiments\.jsonl#dataset_id=/);

  const store = connector.backend.experiments;
  const experiment = (await store.getExperiment(v2.experimentId))!;
  expect(experiment).toMatchObject({ name: "v2", example_count: 2, successful_run_count: 1, failed_run_count: 1, missing_run_count: 0 });
  expect(schemaValidator("Experiment")(experiment)).toBe(true);
  for (const run of await store.readRuns(v1.experimentId)) {
    expect(schemaValidator("ExperimentRun")(run), JSON.stringify(run)).toBe(true);
    expect(run.trace_id).toBe(jobId);
  }
  const json = (await store.readExperimentJson(v1.experimentId))!;
  expect(json.map((r) => [r.output, r.annotations.map((a) => [a.name, a.score]).sort()])).toEqual([
    ["Paris", [["accuracy", 1], ["short", 0]]],
    ["5", [["accuracy", 0], ["short", 1]]],
  ]);
  expect(lines(join(dir.path, "datasets", "datasets.jsonl"))).toHaveLength(1);
  expect(lines(join(dir.path, "datasets", "examples.jsonl"))).toHaveLength(2);
  expect(lines(join(dir.path, "experiments", "experiments.jsonl"))).toHaveLength(2);
});

it("export carries experiments; import recreates them on Phoenix with their runs and evaluations, once", async () => {
  const offline = await connect(`file://${dir.path}`);
  const { jobId, v1, v2 } = await logTwo(offline);
  const file = join(dir.path, "runs.jsonl");
  const summary = await offline.exportTrace(jobId, file, { experiments: [v1.experimentId, v2.experimentId] });
  expect(summary).toMatchObject({ experiments: 2, experimentRuns: 4 });
  const records = lines(file);
  expect(records.map((r) => r.type).filter((t) => t !== "span" && t !== "trace_annotation")).toEqual([
    "header", "dataset", "experiment", "experiment_run", "experiment_run", "experiment", "experiment_run", "experiment_run", "end",
  ]);
  expect(records.at(-1)).toMatchObject({ experiments: 2, experiment_runs: 4 });

  const online = await connect(server.url);
  const imported = await online.importTraces(file, { projectId: "exp" });
  expect(imported.experiments).toEqual({ experiments: 2, skipped: 0, runs: 4, evaluations: 5, failed: 0 });
  expect(server.datasets.datasets.map((d) => d.name)).toEqual(["qa"]);
  expect(server.datasets.examples).toHaveLength(2);
  expect(server.datasets.experiments.map((e) => [e.name, e.metadata.imported_from])).toEqual([["v1", v1.experimentId], ["v2", v2.experimentId]]);
  expect(server.datasets.runs.map((r) => [r.output, r.error, r.trace_id])).toEqual([
    ["Paris", null, jobId], ["5", null, jobId], ["Paris", null, jobId], [null, "Error: timeout", jobId],
  ]);
  expect(server.datasets.evaluations.filter((e) => e.name === "short")).toHaveLength(2);

  // Imported again: the spans are duplicates and the experiments are found, not copied.
  const again = await online.importTraces(file, { projectId: "exp" });
  expect(again.experiments).toEqual({ experiments: 0, skipped: 2, runs: 0, evaluations: 0, failed: 0 });
  expect(server.datasets.experiments).toHaveLength(2);

  // A copy with new ids: new experiments whose runs name the copied traces.
  const copy = await online.importTraces(file, { projectId: "exp-copy", newIds: { seed: "s" } });
  expect(copy.experiments).toMatchObject({ experiments: 2, runs: 4 });
  const copied = server.datasets.runs.slice(4).map((r) => r.trace_id);
  expect(new Set(copied).size).toBe(1);
  expect(copied[0]).not.toBe(jobId);
  expect(server.spans("exp-copy").some((s) => s.context.trace_id === copied[0])).toBe(true);
});

it("an unknown experiment id fails the export before anything is written", async () => {
  const offline = await connect(`file://${dir.path}`);
  const { jobId } = await logTwo(offline);
  const file = join(dir.path, "never.jsonl");
  await expect(offline.exportTrace(jobId, file, { experiments: ["RXhwZXJpbWVudDpub3Bl"] })).rejects.toThrow(PhoenixExperimentNotFoundError);
  expect(() => readFileSync(file)).toThrow();
});

it("export from one local store imports into another local store: the same dataset, experiments, runs and evaluations, once", async () => {
  const source = await connect(`file://${join(dir.path, "a")}`);
  const { jobId, v1, v2 } = await logTwo(source);
  const file = join(dir.path, "carry.jsonl");
  await source.exportTrace(jobId, file, { experiments: [v1.experimentId, v2.experimentId] });

  const target = await connect(`file://${join(dir.path, "b")}`);
  const imported = await target.importTraces(file, { projectId: "exp" });
  expect(imported.experiments).toEqual({ experiments: 2, skipped: 0, runs: 4, evaluations: 5, failed: 0 });
  const again = await target.importTraces(file, { projectId: "exp" });
  expect(again.experiments).toMatchObject({ experiments: 0, skipped: 2 });

  const store = target.backend.experiments;
  const dataset = (await store.findDataset("qa"))!;
  expect(schemaValidator("Dataset")(dataset)).toBe(true);
  const experiments = (await store.listExperiments(dataset.id)).reverse();
  expect(experiments.map((e) => [e.name, e.metadata.imported_from])).toEqual([["v1", v1.experimentId], ["v2", v2.experimentId]]);
  const original = await source.compareExperiments([v1.experimentId, v2.experimentId]);
  const copied = await target.compareExperiments(experiments.map((e) => e.id));
  const cells = (c: typeof original) => c.examples.map((e) => [e.input, e.reference, e.runs.map((r) => r && [r.output, r.error, r.runs, r.failedRuns, r.traceId, r.evaluations])]);
  expect(cells(copied)).toEqual(cells(original));
  expect(copied.metrics).toEqual(original.metrics.map((m) => ({ ...m, best: m.best === null ? null : experiments[[v1.experimentId, v2.experimentId].indexOf(m.best)]!.id })));
});
