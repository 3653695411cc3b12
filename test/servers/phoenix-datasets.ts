import { formatPhoenixTime, globalId, parseGlobalId } from "./phoenix-store.js";

/**
 * Datasets, their versions and examples, experiments, runs and
 * evaluations: the state behind the routes of phoenix-experiments.ts.
 *
 * Versioning as Phoenix keeps it: every upload (create, append, update) makes
 * a new dataset version; an example is a row with one revision per version
 * that touched it (CREATE, PATCH or DELETE). The examples of version V are
 * those whose latest revision at or before V is not a DELETE, with that
 * revision's content.
 */
export interface ExampleContent {
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  metadata: Record<string, unknown>;
  splits: string[];
}

export interface ExampleRevision extends ExampleContent {
  versionRowId: number;
  kind: "CREATE" | "PATCH" | "DELETE";
  updated_at: string;
}

export interface StoredDatasetExample {
  rowId: number;
  datasetRowId: number;
  /** The caller's stable id (`example_ids`), when given. */
  publicId: string | null;
  spanId: string | null;
  revisions: ExampleRevision[];
}

export interface StoredDataset {
  rowId: number;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface StoredDatasetVersion {
  rowId: number;
  datasetRowId: number;
  description: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface StoredExperiment {
  rowId: number;
  datasetRowId: number;
  versionRowId: number;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  repetitions: number;
  splits: string[];
  project_name: string;
  created_at: string;
  updated_at: string;
}

export interface StoredExperimentRun {
  rowId: number;
  experimentRowId: number;
  exampleRowId: number;
  output: unknown;
  repetition_number: number;
  start_time: string;
  end_time: string;
  trace_id: string | null;
  error: string | null;
}

export interface StoredExperimentEvaluation {
  rowId: number;
  runRowId: number;
  name: string;
  annotator_kind: string;
  result: { label: string | null; score: number | null; explanation: string | null } | null;
  error: string | null;
  metadata: Record<string, unknown>;
  trace_id: string | null;
  start_time: string;
  end_time: string;
}

export const now = () => formatPhoenixTime(Date.now() * 1000);

export class DatasetStore {
  readonly datasets: StoredDataset[] = [];
  readonly versions: StoredDatasetVersion[] = [];
  readonly examples: StoredDatasetExample[] = [];
  readonly experiments: StoredExperiment[] = [];
  readonly runs: StoredExperimentRun[] = [];
  readonly evaluations: StoredExperimentEvaluation[] = [];
  #next = { dataset: 1, version: 1, example: 1, experiment: 1, run: 1, evaluation: 1 };

  createDataset(name: string, description: string | null, metadata: Record<string, unknown> = {}): StoredDataset {
    const at = now();
    const dataset = { rowId: this.#next.dataset++, name, description, metadata, created_at: at, updated_at: at };
    this.datasets.push(dataset);
    return dataset;
  }

  createVersion(dataset: StoredDataset, description: string | null = null, metadata: Record<string, unknown> = {}): StoredDatasetVersion {
    const version = { rowId: this.#next.version++, datasetRowId: dataset.rowId, description, metadata, created_at: now() };
    this.versions.push(version);
    dataset.updated_at = version.created_at;
    return version;
  }

  addExample(dataset: StoredDataset, version: StoredDatasetVersion, content: ExampleContent, publicId: string | null, spanId: string | null): StoredDatasetExample {
    const example = { rowId: this.#next.example++, datasetRowId: dataset.rowId, publicId, spanId, revisions: [] as ExampleRevision[] };
    this.reviseExample(example, version, "CREATE", content);
    this.examples.push(example);
    return example;
  }

  reviseExample(example: StoredDatasetExample, version: StoredDatasetVersion, kind: ExampleRevision["kind"], content: ExampleContent): void {
    example.revisions.push({ ...content, versionRowId: version.rowId, kind, updated_at: version.created_at });
  }

  dataset(id: string): StoredDataset | undefined {
    const rowId = parseGlobalId(id, "Dataset");
    return rowId === undefined ? undefined : this.datasets.find((d) => d.rowId === rowId);
  }

  datasetByName(name: string): StoredDataset | undefined {
    return this.datasets.find((d) => d.name === name);
  }

  latestVersion(dataset: StoredDataset): StoredDatasetVersion | undefined {
    return this.versions.filter((v) => v.datasetRowId === dataset.rowId).at(-1);
  }

  /** An example as of a version (undefined when it did not exist then or was deleted). */
  static revisionAt(example: StoredDatasetExample, versionRowId: number): ExampleRevision | undefined {
    const revision = example.revisions.filter((r) => r.versionRowId <= versionRowId).at(-1);
    return revision && revision.kind !== "DELETE" ? revision : undefined;
  }

  /** The examples of a dataset as of a version, with their content then. */
  examplesAt(datasetRowId: number, versionRowId: number): Array<{ example: StoredDatasetExample; revision: ExampleRevision }> {
    return this.examples
      .filter((e) => e.datasetRowId === datasetRowId)
      .flatMap((example) => {
        const revision = DatasetStore.revisionAt(example, versionRowId);
        return revision ? [{ example, revision }] : [];
      });
  }

  /** The id Phoenix shows for an example: its stable public id if it has one, else its global id. */
  static exampleId(example: StoredDatasetExample): string {
    return example.publicId ?? globalId("DatasetExample", example.rowId);
  }

  createExperiment(fields: Omit<StoredExperiment, "rowId" | "created_at" | "updated_at" | "name" | "project_name"> & { name: string | null }): StoredExperiment {
    const rowId = this.#next.experiment++;
    const at = now();
    const experiment = {
      ...fields,
      rowId,
      // Phoenix draws a random name; a deterministic one here.
      name: fields.name ?? `experiment-${rowId}`,
      project_name: `Experiment-${rowId.toString(16).padStart(12, "0")}`,
      created_at: at,
      updated_at: at,
    };
    this.experiments.push(experiment);
    return experiment;
  }

  experiment(id: string): StoredExperiment | undefined {
    const rowId = parseGlobalId(id, "Experiment");
    return rowId === undefined ? undefined : this.experiments.find((e) => e.rowId === rowId);
  }

  addRun(fields: Omit<StoredExperimentRun, "rowId">): StoredExperimentRun {
    const run = { ...fields, rowId: this.#next.run++ };
    this.runs.push(run);
    return run;
  }

  upsertEvaluation(fields: Omit<StoredExperimentEvaluation, "rowId">): StoredExperimentEvaluation {
    const existing = this.evaluations.find((e) => e.runRowId === fields.runRowId && e.name === fields.name);
    if (existing) return Object.assign(existing, fields);
    const evaluation = { ...fields, rowId: this.#next.evaluation++ };
    this.evaluations.push(evaluation);
    return evaluation;
  }
}
