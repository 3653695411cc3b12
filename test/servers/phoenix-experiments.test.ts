import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { schemaValidator } from "./phoenix-schema.js";
import { startPhoenixServer, type PhoenixTestServer } from "./phoenix-server.js";

/**
 * Datasets and experiments routes, per Phoenix 20.3's openapi.json; every
 * 200 body is checked against the schema's response component.
 */
let server: PhoenixTestServer;
beforeEach(async () => {
  server = await startPhoenixServer();
});
afterEach(() => server.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: "GET" | "POST", path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(`${server.url}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // text answer
  }
  return { status: res.statusCode, text, json, headers: res.headers };
}

function expectSchema(name: string, body: unknown) {
  const validate = schemaValidator(name);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

const upload = (body: Json, sync = true) => call("POST", `/v1/datasets/upload${sync ? "?sync=true" : ""}`, body);
const qa = { name: "qa", inputs: [{ q: "capital of France?" }, { q: "2+2?" }], outputs: [{ a: "Paris" }, { a: "4" }], metadata: [{ topic: "geo" }, { topic: "math" }] };

async function dataset(body: Json = qa) {
  const res = await upload(body);
  expect(res.status).toBe(200);
  return res.json.data as { dataset_id: string; version_id: string };
}

describe("POST /v1/datasets/upload", () => {
  it("creates a dataset with sync=true: global ids, counts, in the schema's shape", async () => {
    const res = await upload(qa);
    expect(res.status).toBe(200);
    expectSchema("UploadDatasetResponseBody", res.json);
    expect(res.json.data).toMatchObject({ num_created_examples: 2, num_updated_examples: 0, num_deleted_examples: 0 });
    expect(Buffer.from(res.json.data.dataset_id, "base64").toString()).toBe("Dataset:1");
    expect(Buffer.from(res.json.data.version_id, "base64").toString()).toBe("DatasetVersion:1");
  });

  it("without sync answers 200 null, and the dataset exists", async () => {
    const res = await upload(qa, false);
    expect(res.status).toBe(200);
    expect(res.text).toBe("null");
    expect((await call("GET", "/v1/datasets?name=qa")).json.data).toHaveLength(1);
  });

  it("create with a name that exists is 409; invalid bodies are 422", async () => {
    await dataset();
    const again = await upload(qa);
    expect(again.status).toBe(409);
    expect(again.text).toMatch(/already exists/);
    expect((await upload({ name: "x" })).status).toBe(422); // inputs required (schema)
    expect((await upload({ name: "x", inputs: [{}], action: "merge" })).status).toBe(422); // enum
    expect((await upload({ name: "x", inputs: [{}, {}], outputs: [{}] })).status).toBe(422); // lengths
    expect((await call("POST", "/v1/datasets/upload", "not json", { "content-type": "application/json" })).status).toBe(422);
    expect((await call("POST", "/v1/datasets/upload", "--b--", { "content-type": "multipart/form-data; boundary=b" })).status).toBe(422);
  });

  it("append adds examples in a new version; update patches, creates and deletes by example id", async () => {
    const first = await dataset({ ...qa, example_ids: ["ex-1", "ex-2"] });
    const appended = await upload({ name: "qa", action: "append", inputs: [{ q: "3+3?" }], outputs: [{ a: "6" }], example_ids: ["ex-3"] });
    expect(appended.json.data).toMatchObject({ dataset_id: first.dataset_id, num_created_examples: 1 });
    expect(appended.json.data.version_id).not.toBe(first.version_id);
    expect((await upload({ name: "qa", action: "append", inputs: [{}], example_ids: ["ex-1"] })).status).toBe(409);
    const updated = await upload({
      name: "qa",
      action: "update",
      inputs: [{ q: "capital of France?" }, { q: "2+2?" }, { q: "new" }],
      outputs: [{ a: "Paris" }, { a: "four" }, { a: "n" }],
      metadata: [{ topic: "geo" }, { topic: "math" }, {}],
      example_ids: ["ex-1", "ex-2", "ex-4"],
    });
    expect(updated.json.data).toMatchObject({ num_created_examples: 1, num_updated_examples: 1, num_deleted_examples: 1 });
    const latest = await call("GET", `/v1/datasets/${first.dataset_id}/examples`);
    expect(latest.json.data.examples.map((e: Json) => e.id).sort()).toEqual(["ex-1", "ex-2", "ex-4"]);
    expect(latest.json.data.examples.find((e: Json) => e.id === "ex-2").output).toEqual({ a: "four" });
  });
});

describe("GET /v1/datasets, /{id}, /{id}/versions, /{id}/examples", () => {
  it("lists datasets newest first with example counts, filters by name, paginates", async () => {
    await dataset({ name: "a", inputs: [{}] });
    await dataset({ name: "b", inputs: [{}, {}] });
    await dataset({ name: "c", inputs: [{}, {}, {}] });
    const all = await call("GET", "/v1/datasets");
    expectSchema("ListDatasetsResponseBody", all.json);
    expect(all.json.data.map((d: Json) => [d.name, d.example_count])).toEqual([["c", 3], ["b", 2], ["a", 1]]);
    expect((await call("GET", "/v1/datasets?name=b")).json.data.map((d: Json) => d.name)).toEqual(["b"]);
    const page = await call("GET", "/v1/datasets?limit=2");
    expect(page.json.data).toHaveLength(2);
    const rest = await call("GET", `/v1/datasets?limit=2&cursor=${encodeURIComponent(page.json.next_cursor)}`);
    expect(rest.json.data.map((d: Json) => d.name)).toEqual(["a"]);
    expect(rest.json.next_cursor).toBeNull();
    expect((await call("GET", "/v1/datasets?limit=0")).status).toBe(422);
  });

  it("gets one dataset; an unknown id is 404, a malformed one 422", async () => {
    const { dataset_id } = await dataset({ ...qa, description: "questions" });
    const res = await call("GET", `/v1/datasets/${dataset_id}`);
    expectSchema("GetDatasetResponseBody", res.json);
    expect(res.json.data).toMatchObject({ id: dataset_id, name: "qa", description: "questions", example_count: 2 });
    const unknown = Buffer.from("Dataset:99").toString("base64");
    expect(await call("GET", `/v1/datasets/${unknown}`)).toMatchObject({ status: 404, text: `Dataset with ID ${unknown} not found` });
    expect((await call("GET", "/v1/datasets/not-an-id")).status).toBe(422);
    expect((await call("GET", `/v1/datasets/${unknown}/examples`)).status).toBe(404);
  });

  it("each upload is a version; examples as of a version_id", async () => {
    const first = await dataset();
    const second = (await upload({ name: "qa", action: "append", inputs: [{ q: "3+3?" }], outputs: [{ a: "6" }] })).json.data;
    const versions = await call("GET", `/v1/datasets/${first.dataset_id}/versions`);
    expectSchema("ListDatasetVersionsResponseBody", versions.json);
    expect(versions.json.data.map((v: Json) => v.version_id)).toEqual([second.version_id, first.version_id]);
    const latest = await call("GET", `/v1/datasets/${first.dataset_id}/examples`);
    expectSchema("ListDatasetExamplesResponseBody", latest.json);
    expect(latest.json.data.version_id).toBe(second.version_id);
    expect(latest.json.data.examples).toHaveLength(3);
    const old = await call("GET", `/v1/datasets/${first.dataset_id}/examples?version_id=${encodeURIComponent(first.version_id)}`);
    expect(old.json.data.examples.map((e: Json) => e.input)).toEqual(qa.inputs);
    expect(old.json.data.examples[0].metadata).toEqual({ topic: "geo" });
    expect(Buffer.from(old.json.data.examples[0].node_id, "base64").toString()).toBe("DatasetExample:1");
    const other = Buffer.from("DatasetVersion:77").toString("base64");
    expect((await call("GET", `/v1/datasets/${first.dataset_id}/examples?version_id=${other}`)).status).toBe(404);
  });

  it("filters examples by split", async () => {
    const { dataset_id } = await dataset({ name: "s", inputs: [{ i: 1 }, { i: 2 }, { i: 3 }], splits: ["train", ["test", "hard"], null] });
    const res = await call("GET", `/v1/datasets/${dataset_id}/examples?split=test`);
    expect(res.json.data.filtered_splits).toEqual(["test"]);
    expect(res.json.data.examples.map((e: Json) => e.input)).toEqual([{ i: 2 }]);
  });
});

describe("experiments, runs, evaluations", () => {
  async function experiment(body: Json = { name: "baseline", repetitions: 1 }) {
    const ds = await dataset();
    const res = await call("POST", `/v1/datasets/${ds.dataset_id}/experiments`, body);
    expect(res.status).toBe(200);
    const examples = (await call("GET", `/v1/datasets/${ds.dataset_id}/examples`)).json.data.examples as Json[];
    return { ds, experiment: res.json.data as Json, examples };
  }
  const run = (exampleId: string, extra: Json = {}) => ({
    dataset_example_id: exampleId,
    output: { answer: "Paris" },
    repetition_number: 1,
    start_time: "2026-12-03T12:00:00Z",
    end_time: "2026-12-03T12:00:01.250Z",
    ...extra,
  });

  it("POST /v1/datasets/{id}/experiments over the latest version, with a project; 404 for unknown dataset or version", async () => {
    const { ds, experiment: e } = await experiment({ name: "baseline", metadata: { model: "gpt-4o" }, repetitions: 2 });
    expectSchema("Experiment", e);
    expect(e).toMatchObject({ dataset_id: ds.dataset_id, dataset_version_id: ds.version_id, name: "baseline", repetitions: 2, example_count: 2, successful_run_count: 0, missing_run_count: 4 });
    expect(Buffer.from(e.id, "base64").toString()).toBe("Experiment:1");
    expect((await call("GET", "/v1/projects")).json.data.map((p: Json) => p.name)).toContain(e.project_name);
    const unknown = Buffer.from("Dataset:9").toString("base64");
    expect((await call("POST", `/v1/datasets/${unknown}/experiments`, {})).status).toBe(404);
    const badVersion = Buffer.from("DatasetVersion:9").toString("base64");
    expect((await call("POST", `/v1/datasets/${ds.dataset_id}/experiments`, { version_id: badVersion })).status).toBe(404);
    expect((await call("POST", `/v1/datasets/${ds.dataset_id}/experiments`, { repetitions: "two" })).status).toBe(422);
  });

  it("GET /v1/datasets/{id}/experiments lists newest first; GET /v1/experiments/{id}; 404 unknown", async () => {
    const { ds, experiment: first } = await experiment();
    const second = (await call("POST", `/v1/datasets/${ds.dataset_id}/experiments`, {})).json.data;
    expect(second.name).toBe("experiment-2");
    const list = await call("GET", `/v1/datasets/${ds.dataset_id}/experiments`);
    expectSchema("ListExperimentsResponseBody", list.json);
    expect(list.json.data.map((e: Json) => e.id)).toEqual([second.id, first.id]);
    const one = await call("GET", `/v1/experiments/${first.id}`);
    expectSchema("GetExperimentResponseBody", one.json);
    expect(one.json.data.name).toBe("baseline");
    expect((await call("GET", `/v1/experiments/${Buffer.from("Experiment:42").toString("base64")}`)).status).toBe(404);
  });

  it("POST runs: 200 with an id, counted; a successful run again is 409, a failed one is replaced; unknown example 404", async () => {
    const { experiment: e, examples } = await experiment();
    const ok = await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[0]!.id));
    expect(ok.status).toBe(200);
    expectSchema("CreateExperimentRunResponseBody", ok.json);
    expect((await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[0]!.id))).status).toBe(409);
    const failed = await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[1]!.node_id, { output: null, error: "timeout" }));
    const retried = await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[1]!.node_id, { output: { answer: "4" } }));
    expect(retried.json.data.id).toBe(failed.json.data.id);
    const counts = (await call("GET", `/v1/experiments/${e.id}`)).json.data;
    expect(counts).toMatchObject({ successful_run_count: 2, failed_run_count: 0, missing_run_count: 0 });
    expect((await call("POST", `/v1/experiments/${e.id}/runs`, run(Buffer.from("DatasetExample:99").toString("base64")))).status).toBe(404);
    expect((await call("POST", `/v1/experiments/${e.id}/runs`, { output: 1 })).status).toBe(422);
    expect((await call("POST", `/v1/experiments/${Buffer.from("Experiment:9").toString("base64")}/runs`, run(examples[0]!.id))).status).toBe(404);
  });

  it("GET runs lists them (all without limit, pages with it)", async () => {
    const { experiment: e, examples } = await experiment();
    for (const ex of examples) await call("POST", `/v1/experiments/${e.id}/runs`, run(ex.id));
    const all = await call("GET", `/v1/experiments/${e.id}/runs`);
    expectSchema("ListExperimentRunsResponseBody", all.json);
    expect(all.json.data).toHaveLength(2);
    expect(all.json.data[0]).toMatchObject({ experiment_id: e.id, repetition_number: 1, start_time: "2026-12-03T12:00:00+00:00", end_time: "2026-12-03T12:00:01.250000+00:00" });
    const page = await call("GET", `/v1/experiments/${e.id}/runs?limit=1`);
    expect(page.json.data).toHaveLength(1);
    const rest = await call("GET", `/v1/experiments/${e.id}/runs?limit=1&cursor=${encodeURIComponent(page.json.next_cursor)}`);
    expect(rest.json.data[0].id).not.toBe(page.json.data[0].id);
    expect((await call("GET", `/v1/experiments/${e.id}/runs?cursor=garbage`)).status).toBe(422);
  });

  it("POST /v1/experiment_evaluations upserts by run and name; 404 unknown run; 422 without result or error", async () => {
    const { experiment: e, examples } = await experiment();
    const runId = (await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[0]!.id))).json.data.id as string;
    const evaluation = { experiment_run_id: runId, name: "correct", annotator_kind: "LLM", start_time: "2026-12-03T12:00:02Z", end_time: "2026-12-03T12:00:03Z", result: { label: "yes", score: 1 } };
    const first = await call("POST", "/v1/experiment_evaluations", evaluation);
    expect(first.status).toBe(200);
    expectSchema("UpsertExperimentEvaluationResponseBody", first.json);
    const again = await call("POST", "/v1/experiment_evaluations", { ...evaluation, result: { label: "no", score: 0, explanation: "Lyon" } });
    expect(again.json.data.id).toBe(first.json.data.id);
    expect(server.datasets.evaluations).toHaveLength(1);
    expect((await call("POST", "/v1/experiment_evaluations", { ...evaluation, experiment_run_id: Buffer.from("ExperimentRun:9").toString("base64") })).status).toBe(404);
    expect((await call("POST", "/v1/experiment_evaluations", { ...evaluation, result: null })).status).toBe(422);
    expect((await call("POST", "/v1/experiment_evaluations", { ...evaluation, annotator_kind: "ROBOT" })).status).toBe(422);
  });

  it("GET /v1/experiments/{id}/json exports runs with inputs, reference outputs and evaluations", async () => {
    const { experiment: e, examples } = await experiment();
    const runId = (await call("POST", `/v1/experiments/${e.id}/runs`, run(examples[0]!.id))).json.data.id as string;
    await call("POST", "/v1/experiment_evaluations", { experiment_run_id: runId, name: "correct", annotator_kind: "CODE", start_time: "2026-12-03T12:00:02Z", end_time: "2026-12-03T12:00:03Z", result: { score: 1 } });
    const res = await call("GET", `/v1/experiments/${e.id}/json`);
    expect(res.status).toBe(200);
    expect(String(res.headers["content-type"])).toMatch(/^text\/plain/);
    const rows = JSON.parse(res.text) as Json[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ example_id: examples[0]!.id, input: qa.inputs[0], reference_output: qa.outputs[0], output: { answer: "Paris" }, latency_ms: 1250 });
    expect(rows[0]!.annotations).toEqual([expect.objectContaining({ name: "correct", annotator_kind: "CODE", score: 1, label: null })]);
    expect((await call("GET", `/v1/experiments/${Buffer.from("Experiment:9").toString("base64")}/json`)).status).toBe(404);
  });

  it("a viewer key may read datasets but not upload", async () => {
    await server.close();
    server = await startPhoenixServer({ apiKey: "k", viewerKeys: ["v"] });
    expect((await upload(qa)).status).toBe(401);
    expect((await call("POST", "/v1/datasets/upload?sync=true", qa, { authorization: "Bearer v" })).status).toBe(403);
    expect((await call("POST", "/v1/datasets/upload?sync=true", qa, { authorization: "Bearer k" })).status).toBe(200);
    expect((await call("GET", "/v1/datasets", undefined, { authorization: "Bearer v" })).json.data).toHaveLength(1);
  });
});
