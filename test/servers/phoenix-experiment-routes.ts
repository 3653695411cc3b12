import { DatasetStore, now, type StoredExperiment, type StoredExperimentRun } from "./phoenix-datasets.js";
import { JSON_INVALID, clampLimit, paginate, parseJson, text, type Answer } from "./phoenix-http.js";
import { schemaValidator, validationDetail } from "./phoenix-schema.js";
import { formatPhoenixTime, globalId, parseGlobalId, parseIsoMicros, type PhoenixStore } from "./phoenix-store.js";

/**
 * Phoenix 20.3's experiment routes (openapi.json):
 * POST/GET /v1/datasets/{dataset_id}/experiments, GET /v1/experiments/{id},
 * POST/GET /v1/experiments/{id}/runs, POST /v1/experiment_evaluations,
 * GET /v1/experiments/{id}/json.
 *
 * Choices where the schema leaves room (not measured against a real Phoenix):
 * - An experiment runs over a dataset version (the latest unless
 *   `version_id`), optionally restricted to `splits`; it gets a project named
 *   `Experiment-<12 hex>` (created in the project list, as Phoenix does) and,
 *   without `name`, a deterministic name `experiment-N`.
 * - Counts: `example_count` examples of that version; successful runs have
 *   no `error`, failed ones have one; missing = examples x repetitions -
 *   successful - failed.
 * - A run is identified by (example, repetition_number). Posting it again
 *   after a successful one is 409 (the schema's "already exists with a
 *   successful result and cannot be updated"); after a failed one it replaces
 *   it and keeps its id. An example not in the experiment's version, or a
 *   repetition_number above the experiment's repetitions, is 404 / 422.
 * - `dataset_example_id` may be the example's `id` or its `node_id`.
 * - Evaluations are upserted by (run, name); one needs `result` or `error` (422).
 * - Lists are newest first; runs without `limit` are all returned.
 * - GET .../json is a text/plain JSON array, one object per run, in run order
 *   (the fields Phoenix's export writes).
 */
export function experimentRoutes(state: DatasetStore, projects: PhoenixStore) {
  function runsOf(experiment: StoredExperiment): StoredExperimentRun[] {
    return state.runs.filter((r) => r.experimentRowId === experiment.rowId);
  }

  function examplesOf(experiment: StoredExperiment) {
    return state
      .examplesAt(experiment.datasetRowId, experiment.versionRowId)
      .filter(({ revision }) => experiment.splits.length === 0 || revision.splits.some((s) => experiment.splits.includes(s)));
  }

  function experimentBody(experiment: StoredExperiment) {
    const runs = runsOf(experiment);
    const successful = runs.filter((r) => r.error === null).length;
    const failed = runs.length - successful;
    const examples = examplesOf(experiment).length;
    return {
      id: globalId("Experiment", experiment.rowId),
      dataset_id: globalId("Dataset", experiment.datasetRowId),
      dataset_version_id: globalId("DatasetVersion", experiment.versionRowId),
      name: experiment.name,
      description: experiment.description,
      repetitions: experiment.repetitions,
      metadata: experiment.metadata,
      project_name: experiment.project_name,
      created_at: experiment.created_at,
      updated_at: experiment.updated_at,
      example_count: examples,
      successful_run_count: successful,
      failed_run_count: failed,
      missing_run_count: Math.max(0, examples * experiment.repetitions - successful - failed),
    };
  }

  function exampleIdOf(rowId: number): string {
    return DatasetStore.exampleId(state.examples.find((e) => e.rowId === rowId)!);
  }

  function runBody(run: StoredExperimentRun) {
    return {
      dataset_example_id: exampleIdOf(run.exampleRowId),
      output: run.output,
      repetition_number: run.repetition_number,
      start_time: run.start_time,
      end_time: run.end_time,
      trace_id: run.trace_id,
      error: run.error,
      id: globalId("ExperimentRun", run.rowId),
      experiment_id: globalId("Experiment", run.experimentRowId),
    };
  }

  function body(raw: Buffer, schema: string): { value: Record<string, unknown> } | Answer {
    const parsed = parseJson(raw);
    if (!parsed.ok) return JSON_INVALID;
    const validate = schemaValidator(schema);
    if (!validate(parsed.value)) return { status: 422, body: validationDetail(validate.errors, parsed.value) };
    return { value: parsed.value as Record<string, unknown> };
  }

  /** A time as Phoenix stores and returns it; a naive time is taken as UTC. */
  function time(value: unknown): string | undefined {
    const parsed = parseIsoMicros(String(value));
    return parsed ? formatPhoenixTime(parsed.micros) : undefined;
  }

  function findExperiment(id: string): StoredExperiment | Answer {
    if (parseGlobalId(id, "Experiment") === undefined) return text(422, `Invalid Experiment ID: ${id}`);
    return state.experiment(id) ?? text(404, `Experiment with ID ${id} does not exist`);
  }

  function createExperiment(datasetId: string, raw: Buffer): Answer {
    const parsed = body(raw, "CreateExperimentRequestBody");
    if (!("value" in parsed)) return parsed;
    const b = parsed.value as { name?: string | null; description?: string | null; metadata?: Record<string, unknown> | null; version_id?: string | null; splits?: string[] | null; repetitions?: number };
    const dataset = state.dataset(datasetId);
    if (!dataset) return text(404, `Dataset with ID ${datasetId} does not exist`);
    let version = state.latestVersion(dataset);
    if (b.version_id != null) {
      const rowId = parseGlobalId(b.version_id, "DatasetVersion");
      version = state.versions.find((v) => v.rowId === rowId && v.datasetRowId === dataset.rowId);
      if (!version) return text(404, `DatasetVersion with ID ${b.version_id} does not exist`);
    }
    if (!version) return text(404, `Dataset with ID ${datasetId} has no version`);
    const repetitions = b.repetitions ?? 1;
    if (repetitions < 1) return { status: 422, body: { detail: [{ type: "greater_than", loc: ["body", "repetitions"], msg: "Input should be greater than 0", input: repetitions }] } };
    const experiment = state.createExperiment({
      datasetRowId: dataset.rowId,
      versionRowId: version.rowId,
      name: b.name ?? null,
      description: b.description ?? null,
      metadata: b.metadata ?? {},
      repetitions,
      splits: b.splits ?? [],
    });
    projects.findProject(experiment.project_name, true);
    return { status: 200, body: { data: experimentBody(experiment) } };
  }

  function listExperiments(datasetId: string, url: URL): Answer {
    const dataset = state.dataset(datasetId);
    if (!dataset) return text(422, `Invalid Dataset ID: ${datasetId}`);
    const limit = clampLimit(url.searchParams.get("limit"), 50, Number.MAX_SAFE_INTEGER);
    if (limit === undefined) return text(422, "limit must be a positive integer");
    const newestFirst = state.experiments.filter((e) => e.datasetRowId === dataset.rowId).sort((a, b) => b.rowId - a.rowId);
    return paginate(newestFirst, url.searchParams.get("cursor"), limit, (e) => globalId("Experiment", e.rowId), experimentBody);
  }

  function createRun(experiment: StoredExperiment, raw: Buffer): Answer {
    const parsed = body(raw, "CreateExperimentRunRequestBody");
    if (!("value" in parsed)) return parsed;
    const b = parsed.value as { dataset_example_id: string; output: unknown; repetition_number: number; start_time: string; end_time: string; trace_id?: string | null; error?: string | null };
    const start = time(b.start_time);
    const end = time(b.end_time);
    if (start === undefined || end === undefined) return { status: 422, body: { detail: [{ type: "datetime_parsing", loc: ["body", start === undefined ? "start_time" : "end_time"], msg: "Input should be a valid datetime" }] } };
    const nodeRowId = parseGlobalId(b.dataset_example_id, "DatasetExample");
    const found = examplesOf(experiment).find(({ example }) => example.rowId === nodeRowId || DatasetStore.exampleId(example) === b.dataset_example_id);
    if (!found) return text(404, `DatasetExample with ID ${b.dataset_example_id} does not exist`);
    if (b.repetition_number > experiment.repetitions) {
      return text(422, `repetition_number ${b.repetition_number} is above the experiment's ${experiment.repetitions} repetitions`);
    }
    const fields = {
      experimentRowId: experiment.rowId,
      exampleRowId: found.example.rowId,
      output: b.output,
      repetition_number: b.repetition_number,
      start_time: start,
      end_time: end,
      trace_id: b.trace_id ?? null,
      error: b.error ?? null,
    };
    const existing = runsOf(experiment).find((r) => r.exampleRowId === found.example.rowId && r.repetition_number === b.repetition_number);
    if (existing && existing.error === null) {
      return text(409, `Experiment run for example ${b.dataset_example_id} repetition ${b.repetition_number} already exists with a successful result and cannot be updated`);
    }
    const run = existing ? Object.assign(existing, fields) : state.addRun(fields);
    experiment.updated_at = now();
    return { status: 200, body: { data: { id: globalId("ExperimentRun", run.rowId) } } };
  }

  function listRuns(experiment: StoredExperiment, url: URL): Answer {
    const rawLimit = url.searchParams.get("limit");
    const limit = rawLimit === null ? Number.MAX_SAFE_INTEGER : clampLimit(rawLimit, 1, Number.MAX_SAFE_INTEGER);
    if (limit === undefined) return text(422, "limit must be a positive integer");
    const cursor = url.searchParams.get("cursor");
    if (cursor !== null && parseGlobalId(cursor, "ExperimentRun") === undefined) return text(422, `Invalid cursor format: ${cursor}`);
    const newestFirst = runsOf(experiment).sort((a, b) => b.rowId - a.rowId);
    return paginate(newestFirst, cursor, limit, (r) => globalId("ExperimentRun", r.rowId), runBody);
  }

  function evaluate(raw: Buffer): Answer {
    const parsed = body(raw, "UpsertExperimentEvaluationRequestBody");
    if (!("value" in parsed)) return parsed;
    const b = parsed.value as { experiment_run_id: string; name: string; annotator_kind: string; start_time: string; end_time: string; result?: { label?: string | null; score?: number | null; explanation?: string | null } | null; error?: string | null; metadata?: Record<string, unknown> | null; trace_id?: string | null };
    if (b.result == null && b.error == null) return text(422, "Either result or error must be provided");
    const start = time(b.start_time);
    const end = time(b.end_time);
    if (start === undefined || end === undefined) return { status: 422, body: { detail: [{ type: "datetime_parsing", loc: ["body", start === undefined ? "start_time" : "end_time"], msg: "Input should be a valid datetime" }] } };
    const rowId = parseGlobalId(b.experiment_run_id, "ExperimentRun");
    const run = state.runs.find((r) => r.rowId === rowId);
    if (!run) return text(404, `Experiment run with ID ${b.experiment_run_id} does not exist`);
    const evaluation = state.upsertEvaluation({
      runRowId: run.rowId,
      name: b.name,
      annotator_kind: b.annotator_kind,
      result: b.result == null ? null : { label: b.result.label ?? null, score: b.result.score ?? null, explanation: b.result.explanation ?? null },
      error: b.error ?? null,
      metadata: b.metadata ?? {},
      trace_id: b.trace_id ?? null,
      start_time: start,
      end_time: end,
    });
    return { status: 200, body: { data: { id: globalId("ExperimentEvaluation", evaluation.rowId) } } };
  }

  function exportJson(experiment: StoredExperiment): Answer {
    const rows = runsOf(experiment)
      .sort((a, b) => a.rowId - b.rowId)
      .map((run) => {
        const example = state.examples.find((e) => e.rowId === run.exampleRowId)!;
        const revision = DatasetStore.revisionAt(example, experiment.versionRowId);
        const micros = (t: string) => parseIsoMicros(t)!.micros;
        return {
          example_id: DatasetStore.exampleId(example),
          repetition_number: run.repetition_number,
          input: revision?.input ?? {},
          reference_output: revision?.output ?? {},
          output: run.output,
          error: run.error,
          latency_ms: (micros(run.end_time) - micros(run.start_time)) / 1000,
          start_time: run.start_time,
          end_time: run.end_time,
          trace_id: run.trace_id,
          prompt_token_count: null,
          completion_token_count: null,
          annotations: state.evaluations
            .filter((e) => e.runRowId === run.rowId)
            .map((e) => ({
              name: e.name,
              annotator_kind: e.annotator_kind,
              label: e.result?.label ?? null,
              score: e.result?.score ?? null,
              explanation: e.result?.explanation ?? null,
              trace_id: e.trace_id,
              error: e.error,
              metadata: e.metadata,
              start_time: e.start_time,
              end_time: e.end_time,
            })),
        };
      });
    return {
      status: 200,
      body: JSON.stringify(rows, null, 2),
      headers: { "content-type": "text/plain", "content-disposition": `attachment; filename="${experiment.name}.json"` },
    };
  }

  /** Answers an experiment route, or undefined when the path is not one. */
  return function route(method: string, url: URL, raw: Buffer): Answer | undefined {
    const path = url.pathname;
    if (path === "/v1/experiment_evaluations" && method === "POST") return evaluate(raw);
    const onDataset = /^\/v1\/datasets\/([^/]+)\/experiments$/.exec(path);
    if (onDataset) {
      const datasetId = decodeURIComponent(onDataset[1]!);
      if (method === "POST") return createExperiment(datasetId, raw);
      if (method === "GET") return listExperiments(datasetId, url);
      return undefined;
    }
    const match = /^\/v1\/experiments\/([^/]+)(\/runs|\/json)?$/.exec(path);
    if (!match) return undefined;
    const sub = match[2];
    if (!(method === "GET" || (method === "POST" && sub === "/runs"))) return undefined;
    const found = findExperiment(decodeURIComponent(match[1]!));
    if ("status" in found) return found;
    if (sub === "/runs") return method === "POST" ? createRun(found, raw) : listRuns(found, url);
    if (sub === "/json") return exportJson(found);
    return { status: 200, body: { data: experimentBody(found) } };
  };
}
