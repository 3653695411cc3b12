import type {
  PhoenixDataset,
  PhoenixDatasetExample,
  PhoenixDatasetExamples,
  PhoenixExperiment,
  PhoenixExperimentJsonAnnotation,
  PhoenixExperimentJsonRow,
  PhoenixExperimentRun,
} from "../../store/experiments/experiment-types.js";
import type { PhoenixPage } from "../../store/backend.js";
import { ShapeError, array, nullableNumber, object, optionalString, page, string } from "./response-shapes.js";

/**
 * Checks of Phoenix 20.3's dataset and experiment answers (openapi.json:
 * `Dataset`, `ListDatasetExamplesData`, `UploadDatasetData`, `Experiment`,
 * `ExperimentRun`, the JSON export). Fields the connector does not use are
 * passed through unchecked.
 */
type Json = Record<string, unknown>;

function record(value: unknown, where: string): Json {
  return value === null || value === undefined ? {} : object(value, where);
}

function integer(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ShapeError(`${where} is not an integer`);
  return value;
}

export function datasetShape(value: unknown, where: string): PhoenixDataset {
  const d = object(value, where);
  return {
    id: string(d.id, `${where}.id`),
    name: string(d.name, `${where}.name`),
    description: optionalString(d.description, `${where}.description`),
    metadata: record(d.metadata, `${where}.metadata`),
    created_at: string(d.created_at, `${where}.created_at`),
    updated_at: string(d.updated_at, `${where}.updated_at`),
    example_count: integer(d.example_count ?? 0, `${where}.example_count`),
  };
}

export const datasetsPageShape = (body: unknown): PhoenixPage<PhoenixDataset> => page(body, datasetShape);
export const datasetBodyShape = (body: unknown): PhoenixDataset => datasetShape(object(body, "the body").data, "data");

export function exampleShape(value: unknown, where: string): PhoenixDatasetExample {
  const e = object(value, where);
  return {
    id: string(e.id, `${where}.id`),
    node_id: typeof e.node_id === "string" ? e.node_id : string(e.id, `${where}.id`),
    input: record(e.input, `${where}.input`),
    output: record(e.output, `${where}.output`),
    metadata: record(e.metadata, `${where}.metadata`),
    updated_at: string(e.updated_at, `${where}.updated_at`),
    ...(e.source !== undefined ? { source: e.source as PhoenixDatasetExample["source"] } : {}),
  };
}

export function examplesShape(body: unknown): PhoenixDatasetExamples {
  const data = object(object(body, "the body").data, "data");
  return {
    dataset_id: string(data.dataset_id, "data.dataset_id"),
    version_id: string(data.version_id, "data.version_id"),
    examples: array(data.examples, "data.examples").map((e, i) => exampleShape(e, `data.examples[${i}]`)),
  };
}

export function uploadShape(body: unknown) {
  const data = object(object(body, "the body").data, "data");
  return {
    dataset_id: string(data.dataset_id, "data.dataset_id"),
    version_id: string(data.version_id, "data.version_id"),
    num_created_examples: integer(data.num_created_examples, "data.num_created_examples"),
    num_updated_examples: integer(data.num_updated_examples, "data.num_updated_examples"),
    num_deleted_examples: integer(data.num_deleted_examples, "data.num_deleted_examples"),
  };
}

export const experimentShape = (body: unknown): PhoenixExperiment => experimentItemShape(object(body, "the body").data, "data");
export const experimentsPageShape = (body: unknown): PhoenixPage<PhoenixExperiment> => page(body, experimentItemShape);

/** One experiment, wherever it sits (`where` names it in a mismatch). */
export function experimentItemShape(value: unknown, where: string): PhoenixExperiment {
  const e = object(value, where);
  const count = (key: string) => integer(e[key] ?? 0, `${where}.${key}`);
  return {
    id: string(e.id, `${where}.id`),
    dataset_id: string(e.dataset_id, `${where}.dataset_id`),
    dataset_version_id: string(e.dataset_version_id, `${where}.dataset_version_id`),
    name: string(e.name, `${where}.name`),
    description: optionalString(e.description, `${where}.description`),
    repetitions: integer(e.repetitions, `${where}.repetitions`),
    metadata: record(e.metadata, `${where}.metadata`),
    project_name: optionalString(e.project_name, `${where}.project_name`),
    created_at: string(e.created_at, `${where}.created_at`),
    updated_at: string(e.updated_at, `${where}.updated_at`),
    example_count: count("example_count"),
    successful_run_count: count("successful_run_count"),
    failed_run_count: count("failed_run_count"),
    missing_run_count: count("missing_run_count"),
  };
}

export const idShape = (body: unknown): string => string(object(object(body, "the body").data, "data").id, "data.id");

function runShape(value: unknown, where: string): PhoenixExperimentRun {
  const r = object(value, where);
  return {
    id: string(r.id, `${where}.id`),
    experiment_id: string(r.experiment_id, `${where}.experiment_id`),
    dataset_example_id: string(r.dataset_example_id, `${where}.dataset_example_id`),
    output: r.output ?? null,
    repetition_number: integer(r.repetition_number, `${where}.repetition_number`),
    start_time: string(r.start_time, `${where}.start_time`),
    end_time: string(r.end_time, `${where}.end_time`),
    trace_id: optionalString(r.trace_id, `${where}.trace_id`),
    error: optionalString(r.error, `${where}.error`),
  };
}

export const runsPageShape = (body: unknown): PhoenixPage<PhoenixExperimentRun> => page(body, runShape);

function jsonAnnotationShape(value: unknown, where: string): PhoenixExperimentJsonAnnotation {
  const a = object(value, where);
  return {
    name: string(a.name, `${where}.name`),
    annotator_kind: string(a.annotator_kind, `${where}.annotator_kind`),
    label: optionalString(a.label, `${where}.label`),
    score: nullableNumber(a.score, `${where}.score`),
    explanation: optionalString(a.explanation, `${where}.explanation`),
    trace_id: optionalString(a.trace_id, `${where}.trace_id`),
    error: optionalString(a.error, `${where}.error`),
    metadata: record(a.metadata, `${where}.metadata`),
    start_time: optionalString(a.start_time, `${where}.start_time`) ?? "",
    end_time: optionalString(a.end_time, `${where}.end_time`) ?? "",
  };
}

/** GET /v1/experiments/{id}/json: a JSON array (served as text/plain). */
export function experimentJsonShape(body: unknown): PhoenixExperimentJsonRow[] {
  return array(body, "the body").map((value, i) => {
    const where = `[${i}]`;
    const r = object(value, where);
    return {
      example_id: string(r.example_id, `${where}.example_id`),
      repetition_number: integer(r.repetition_number ?? 1, `${where}.repetition_number`),
      input: record(r.input, `${where}.input`),
      reference_output: record(r.reference_output, `${where}.reference_output`),
      output: r.output ?? null,
      error: optionalString(r.error, `${where}.error`),
      latency_ms: nullableNumber(r.latency_ms, `${where}.latency_ms`) ?? 0,
      start_time: optionalString(r.start_time, `${where}.start_time`) ?? "",
      end_time: optionalString(r.end_time, `${where}.end_time`) ?? "",
      trace_id: optionalString(r.trace_id, `${where}.trace_id`),
      prompt_token_count: nullableNumber(r.prompt_token_count, `${where}.prompt_token_count`),
      completion_token_count: nullableNumber(r.completion_token_count, `${where}.completion_token_count`),
      annotations: (r.annotations === undefined || r.annotations === null ? [] : array(r.annotations, `${where}.annotations`)).map((a, j) =>
        jsonAnnotationShape(a, `${where}.annotations[${j}]`),
      ),
    };
  });
}
