import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openBackend } from "../../../src/connector/backend/open-backend.js";
import type { PhoenixBackend } from "../../../src/store/backend.js";
import { LocalStore } from "../../../src/store/local-store.js";
import { schemaValidator } from "../../servers/phoenix-schema.js";
import { startPhoenixServer, type PhoenixTestServer } from "../../servers/phoenix-server.js";
import { isolatePhoenixEnvironment, temporaryDirectory } from "../../connector/support.js";

/**
 * The local store keeps datasets, experiments, runs and evaluations the way
 * Phoenix does: the same sequence of calls runs against the Phoenix test
 * server (through the REST client) and against the local store, and both
 * answer alike, in the shapes of Phoenix 20.3's openapi.json.
 */
let server: PhoenixTestServer;
let dir: { path: string; remove: () => void };
const backends: PhoenixBackend[] = [];

beforeEach(async () => {
  isolatePhoenixEnvironment();
  server = await startPhoenixServer();
  dir = temporaryDirectory();
});
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
  await server.close();
  dir.remove();
  vi.unstubAllEnvs();
});

function expectSchema(name: string, body: unknown) {
  const validate = schemaValidator(name);
  expect(validate(body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

const upload = (action: "create" | "append", ids: string[]) => ({
  action,
  name: "qa",
  inputs: ids.map((id) => ({ q: `question ${id}` })),
  outputs: ids.map((id) => ({ a: `answer ${id}` })),
  metadata: ids.map(() => ({})),
  example_ids: ids,
});

/** The whole sequence on one back end; returns what a test compares across back ends. */
async function scenario(backend: PhoenixBackend) {
  const store = backend.experiments;
  const created = await store.uploadDataset(upload("create", ["a", "b"]));
  if (created.status !== "stored") throw new Error("not stored");
  const again = await store.uploadDataset(upload("create", ["c"]));
  const clash = await store.uploadDataset(upload("append", ["b"]));
  const appended = await store.uploadDataset(upload("append", ["c"]));
  if (appended.status !== "stored") throw new Error("not appended");
  const dataset = (await store.findDataset("qa"))!;
  expectSchema("Dataset", dataset);
  const latest = (await store.readExamples(dataset.id))!;
  const first = (await store.readExamples(dataset.id, created.version_id))!;
  for (const e of latest.examples) expectSchema("DatasetExample", e);
  const experiment = (await store.createExperiment(dataset.id, { name: "v1", metadata: { prompt: "v1" }, repetitions: 2 }))!;
  expectSchema("Experiment", experiment);
  const at = "2026-12-03T12:00:00.000Z";
  const run = (example: string, repetition: number, error?: string) =>
    store.createRun(experiment.id, { dataset_example_id: example, output: { text: `out ${example}` }, repetition_number: repetition, start_time: at, end_time: at, trace_id: "a".repeat(32), error: error ?? null });
  const ok = await run("a", 1);
  const duplicate = await run("a", 1);
  const failed = await run("b", 1, "boom");
  const replaced = await run("b", 1);
  const unknownExample = await run("zzz", 1);
  const tooMany = await run("a", 3);
  if (ok.status !== "stored" || failed.status !== "stored" || replaced.status !== "stored") throw new Error("runs not stored");
  const evaluation = (name: string, score: number | null, error?: string) =>
    store.upsertEvaluation({ experiment_run_id: ok.id, name, annotator_kind: "CODE", start_time: at, end_time: at, ...(error ? { error } : { result: { score } }), metadata: {} });
  const e1 = await evaluation("accuracy", 0);
  const e2 = await evaluation("accuracy", 1);
  const nothing = await store.upsertEvaluation({ experiment_run_id: ok.id, name: "x", annotator_kind: "CODE", start_time: at, end_time: at });
  const unknownRun = await store.upsertEvaluation({ experiment_run_id: "RXhwZXJpbWVudFJ1bjo5OTk=", name: "x", annotator_kind: "CODE", start_time: at, end_time: at, result: { score: 1 } });
  const runs = await store.readRuns(experiment.id);
  for (const r of runs) expectSchema("ExperimentRun", r);
  const json = (await store.readExperimentJson(experiment.id))!;
  const counted = (await store.getExperiment(experiment.id))!;
  expectSchema("Experiment", counted);
  const { status: _s, dataset_id: _d, version_id: _v, ...createdCounts } = created;
  return {
    createdCounts,
    again: again.status,
    clash: clash.status,
    exampleCount: dataset.example_count,
    latest: latest.examples.map((e) => [e.id, e.input, e.output]),
    first: first.examples.map((e) => e.id),
    experiment: { name: experiment.name, repetitions: experiment.repetitions, metadata: experiment.metadata, example_count: experiment.example_count, version: experiment.dataset_version_id === appended.version_id },
    writes: [duplicate, unknownExample, tooMany, nothing, unknownRun].map((w) => (w.status === "refused" ? w.statusCode : w.status)),
    replacedKeepsId: replaced.id === failed.id,
    evaluationUpserted: e1.status === "stored" && e2.status === "stored" && e1.id === e2.id,
    runs: runs.map((r) => [r.dataset_example_id, r.repetition_number, r.error, r.output, r.trace_id]),
    json: json.map((row) => [row.example_id, row.reference_output, row.output, row.error, row.annotations.map((a) => [a.name, a.score])]),
    counts: [counted.successful_run_count, counted.failed_run_count, counted.missing_run_count],
    unknown: [await store.getExperiment("RXhwZXJpbWVudDo5OTk="), await store.readExamples("RGF0YXNldDo5OTk="), await store.findDataset("nope")],
  };
}

describe("datasets and experiments: the local store answers as Phoenix does", () => {
  it("runs the same sequence on the Phoenix test server and in the local store with the same outcome", async () => {
    const rest = openBackend({ endpoint: server.url });
    const local = new LocalStore(dir.path);
    backends.push(rest, local);
    const onServer = await scenario(rest);
    const offline = await scenario(local);
    expect(offline).toEqual(onServer);
    expect(onServer).toMatchObject({
      again: "conflict",
      clash: "conflict",
      exampleCount: 3,
      first: ["a", "b"],
      writes: [409, 404, 422, 422, 404],
      replacedKeepsId: true,
      evaluationUpserted: true,
      counts: [2, 0, 4],
      unknown: [undefined, undefined, undefined],
    });
    expect(onServer.latest.map((e) => e[0])).toEqual(["a", "b", "c"]);
    expect(onServer.json[0]).toEqual(["a", { a: "answer a" }, { text: "out a" }, null, [["accuracy", 1]]]);
  });

  it("keeps everything in JSON-lines files that another process (a new store) reads back", async () => {
    const writer = new LocalStore(dir.path);
    await writer.experiments.uploadDataset(upload("create", ["a"]));
    const dataset = (await writer.experiments.findDataset("qa"))!;
    const experiment = (await writer.experiments.createExperiment(dataset.id, {}))!;
    const reader = new LocalStore(dir.path);
    expect((await reader.experiments.getExperiment(experiment.id))!.example_count).toBe(1);
    expect(reader.experiments.compareUrl(dataset.id, [experiment.id])).toMatch(/^file:\/\/.*experiments\.jsonl#dataset_id=.*&experiment_id=/);
  });
});
