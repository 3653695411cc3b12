import type { PhoenixAnnotatorKind } from "../backend.js";

/**
 * Datasets, experiments, runs and experiment evaluations in Phoenix 20.3's
 * own wire shapes (openapi.json), for both back ends: Phoenix's REST API
 * (src/connector/rest/experiment-rest.ts) and the local store
 * (local-experiments.ts). Field names are Phoenix's, snake_case included,
 * so that what the local store keeps is what Phoenix would return.
 */

/** Phoenix's `Dataset` (GET /v1/datasets, /v1/datasets/{id}). */
export interface PhoenixDataset {
  id: string;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  example_count: number;
}

/** Phoenix's `DatasetExample` (GET /v1/datasets/{id}/examples). `id` is the stable public id when one was given. */
export interface PhoenixDatasetExample {
  id: string;
  node_id: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  metadata: Record<string, unknown>;
  updated_at: string;
  source?: { span_id: string; span_node_id: string } | null;
}

/** Phoenix's `ListDatasetExamplesData`: the examples of one dataset version. */
export interface PhoenixDatasetExamples {
  dataset_id: string;
  version_id: string;
  examples: PhoenixDatasetExample[];
}

/** The JSON body of POST /v1/datasets/upload (the subset the connector sends). */
export interface PhoenixDatasetUpload {
  action: "create" | "append";
  name: string;
  description?: string;
  inputs: Array<Record<string, unknown>>;
  outputs: Array<Record<string, unknown>>;
  metadata: Array<Record<string, unknown>>;
  /** The examples' stable public ids. */
  example_ids: string[];
  span_ids?: Array<string | null>;
}

/** Phoenix's `UploadDatasetData` (answer with `?sync=true`), or the 409 of a clash. */
export type PhoenixDatasetUploadResult =
  | {
      status: "stored";
      dataset_id: string;
      version_id: string;
      num_created_examples: number;
      num_updated_examples: number;
      num_deleted_examples: number;
    }
  /** 409: `create` of a name that exists, or `append` of an example id that is already there. */
  | { status: "conflict"; message: string };

/** The body of POST /v1/datasets/{dataset_id}/experiments. */
export interface PhoenixExperimentCreate {
  name?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  version_id?: string;
  repetitions?: number;
}

/** Phoenix's `Experiment`. */
export interface PhoenixExperiment {
  id: string;
  dataset_id: string;
  dataset_version_id: string;
  name: string;
  description: string | null;
  repetitions: number;
  metadata: Record<string, unknown>;
  project_name: string | null;
  created_at: string;
  updated_at: string;
  example_count: number;
  successful_run_count: number;
  failed_run_count: number;
  missing_run_count: number;
}

/** Phoenix's `CreateExperimentRunRequestBody`. */
export interface PhoenixExperimentRunData {
  dataset_example_id: string;
  output: unknown;
  repetition_number: number;
  start_time: string;
  end_time: string;
  trace_id?: string | null;
  error?: string | null;
}

/** Phoenix's `ExperimentRun` as read back. */
export interface PhoenixExperimentRun extends PhoenixExperimentRunData {
  id: string;
  experiment_id: string;
  trace_id: string | null;
  error: string | null;
}

export interface PhoenixEvaluationResult {
  label?: string | null;
  score?: number | null;
  explanation?: string | null;
}

/** Phoenix's `UpsertExperimentEvaluationRequestBody`: upserted by (run, name). */
export interface PhoenixExperimentEvaluationData {
  experiment_run_id: string;
  name: string;
  annotator_kind: PhoenixAnnotatorKind;
  start_time: string;
  end_time: string;
  result?: PhoenixEvaluationResult | null;
  error?: string | null;
  metadata?: Record<string, unknown> | null;
  trace_id?: string | null;
}

/** One evaluation of a run in GET /v1/experiments/{id}/json (`annotations`). */
export interface PhoenixExperimentJsonAnnotation {
  name: string;
  annotator_kind: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  trace_id: string | null;
  error: string | null;
  metadata: Record<string, unknown>;
  start_time: string;
  end_time: string;
}

/** One run of GET /v1/experiments/{id}/json: the example, the run and its evaluations together. */
export interface PhoenixExperimentJsonRow {
  example_id: string;
  repetition_number: number;
  input: Record<string, unknown>;
  reference_output: Record<string, unknown>;
  output: unknown;
  error: string | null;
  latency_ms: number;
  start_time: string;
  end_time: string;
  trace_id: string | null;
  prompt_token_count: number | null;
  completion_token_count: number | null;
  annotations: PhoenixExperimentJsonAnnotation[];
}

/** A write the back end refused (404, 409, 422): nothing was stored, and Phoenix said why. */
export type PhoenixExperimentWrite = { status: "stored"; id: string } | { status: "refused"; statusCode: number; message: string };

/**
 * Datasets and experiments where the back end keeps them: Phoenix's REST
 * routes, or the local store's files. Reads of an unknown id answer
 * undefined; writes answer what was stored or why not; only a failure to
 * reach the back end at all (or credentials) throws.
 */
export interface PhoenixExperimentStore {
  /** GET /v1/datasets?name=: the dataset of that exact name. */
  findDataset(name: string): Promise<PhoenixDataset | undefined>;
  /** GET /v1/datasets/{id}. */
  getDataset(datasetId: string): Promise<PhoenixDataset | undefined>;
  /** POST /v1/datasets/upload?sync=true (JSON). */
  uploadDataset(upload: PhoenixDatasetUpload): Promise<PhoenixDatasetUploadResult>;
  /** GET /v1/datasets/{id}/examples: the latest version's, or `versionId`'s. */
  readExamples(datasetId: string, versionId?: string): Promise<PhoenixDatasetExamples | undefined>;
  /** POST /v1/datasets/{dataset_id}/experiments; undefined for an unknown dataset or version. */
  createExperiment(datasetId: string, body: PhoenixExperimentCreate): Promise<PhoenixExperiment | undefined>;
  /** GET /v1/datasets/{dataset_id}/experiments (all pages), newest first; none for an unknown dataset. */
  listExperiments(datasetId: string): Promise<PhoenixExperiment[]>;
  /** GET /v1/experiments/{id}. */
  getExperiment(experimentId: string): Promise<PhoenixExperiment | undefined>;
  /** POST /v1/experiments/{id}/runs. */
  createRun(experimentId: string, run: PhoenixExperimentRunData): Promise<PhoenixExperimentWrite>;
  /** GET /v1/experiments/{id}/runs (all pages), newest first. */
  readRuns(experimentId: string): Promise<PhoenixExperimentRun[]>;
  /** POST /v1/experiment_evaluations. */
  upsertEvaluation(evaluation: PhoenixExperimentEvaluationData): Promise<PhoenixExperimentWrite>;
  /** GET /v1/experiments/{id}/json: every run with its example and evaluations, in run order. */
  readExperimentJson(experimentId: string): Promise<PhoenixExperimentJsonRow[] | undefined>;
  /** Where to see experiments side by side: Phoenix's compare page, or the local experiments file. The first is the baseline. */
  compareUrl(datasetId: string, experimentIds: readonly string[]): string;
}
