import { pathToFileURL } from "node:url";
import { isoToMicros } from "../iso-micros.js";
import type {
  PhoenixDataset,
  PhoenixDatasetExamples,
  PhoenixDatasetUpload,
  PhoenixDatasetUploadResult,
  PhoenixExperiment,
  PhoenixExperimentCreate,
  PhoenixExperimentEvaluationData,
  PhoenixExperimentJsonRow,
  PhoenixExperimentRun,
  PhoenixExperimentRunData,
  PhoenixExperimentStore,
  PhoenixExperimentWrite,
} from "./experiment-types.js";
import { LocalDatasets } from "./local-datasets.js";
import { LocalFiles, latestById, localGlobalId, phoenixTime } from "./local-files.js";

type StoredExperiment = Omit<PhoenixExperiment, "example_count" | "successful_run_count" | "failed_run_count" | "missing_run_count">;
type StoredEvaluation = Required<Omit<PhoenixExperimentEvaluationData, "result">> & {
  id: string;
  result: { label: string | null; score: number | null; explanation: string | null } | null;
};

/**
 * Datasets and experiments in the local store (files: local-files.ts), in
 * the shapes Phoenix returns and with Phoenix's rules as the test server
 * keeps them (test/servers/phoenix-experiment-routes.ts): a run is one per
 * (example, repetition) — a second after a successful one is refused (409),
 * one after a failed one replaces it under the same id; an example outside
 * the experiment's dataset version is refused (404), so is a repetition past
 * the experiment's (422); an evaluation is upserted by (run, name) and needs
 * a result or an error. Counts are worked out on reading. An experiment
 * gets no project here (`project_name` null): its runs' traces are the
 * traces they name.
 */
export class LocalExperimentStore implements PhoenixExperimentStore {
  readonly #files: LocalFiles;
  readonly #datasets: LocalDatasets;
  /** Serialises this process's writes: a check and its append are one step. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(directory: string) {
    this.#files = new LocalFiles(directory);
    this.#datasets = new LocalDatasets(this.#files);
  }

  findDataset(name: string): Promise<PhoenixDataset | undefined> {
    return this.#datasets.find(name);
  }

  getDataset(datasetId: string): Promise<PhoenixDataset | undefined> {
    return this.#datasets.get(datasetId);
  }

  uploadDataset(upload: PhoenixDatasetUpload): Promise<PhoenixDatasetUploadResult> {
    return this.#exclusive(() => this.#datasets.upload(upload));
  }

  readExamples(datasetId: string, versionId?: string): Promise<PhoenixDatasetExamples | undefined> {
    return this.#datasets.examples(datasetId, versionId);
  }

  createExperiment(datasetId: string, body: PhoenixExperimentCreate): Promise<PhoenixExperiment | undefined> {
    return this.#exclusive(async () => {
      if (!(await this.#datasets.stored(datasetId))) return undefined;
      const versions = await this.#datasets.versions(datasetId);
      const version = body.version_id === undefined ? versions.at(-1) : versions.find((v) => v.version_id === body.version_id);
      if (!version) return undefined;
      const at = phoenixTime();
      const id = localGlobalId("Experiment");
      const experiment: StoredExperiment = {
        id,
        dataset_id: datasetId,
        dataset_version_id: version.version_id,
        name: body.name ?? `experiment-${id.slice(-8)}`,
        description: body.description ?? null,
        repetitions: body.repetitions ?? 1,
        metadata: body.metadata ?? {},
        project_name: null,
        created_at: at,
        updated_at: at,
      };
      await this.#files.append("experiments", [experiment]);
      return this.#withCounts(experiment);
    });
  }

  async listExperiments(datasetId: string): Promise<PhoenixExperiment[]> {
    const experiments = (await this.#files.read<StoredExperiment>("experiments")).filter((e) => e.dataset_id === datasetId);
    return Promise.all(experiments.reverse().map((e) => this.#withCounts(e)));
  }

  async getExperiment(experimentId: string): Promise<PhoenixExperiment | undefined> {
    const experiment = await this.#stored(experimentId);
    return experiment && this.#withCounts(experiment);
  }

  createRun(experimentId: string, run: PhoenixExperimentRunData): Promise<PhoenixExperimentWrite> {
    return this.#exclusive(async () => {
      const experiment = await this.#stored(experimentId);
      if (!experiment) return refused(404, `Experiment with ID ${experimentId} does not exist`);
      const examples = await this.#examplesOf(experiment);
      const example = examples.find((e) => e.id === run.dataset_example_id || e.node_id === run.dataset_example_id);
      if (!example) return refused(404, `DatasetExample with ID ${run.dataset_example_id} does not exist`);
      if (run.repetition_number > experiment.repetitions) {
        return refused(422, `repetition_number ${run.repetition_number} is above the experiment's ${experiment.repetitions} repetitions`);
      }
      const existing = (await this.#runsOf(experimentId)).find((r) => r.dataset_example_id === example.id && r.repetition_number === run.repetition_number);
      if (existing && existing.error === null) {
        return refused(409, `Experiment run for example ${example.id} repetition ${run.repetition_number} already exists with a successful result and cannot be updated`);
      }
      const stored: PhoenixExperimentRun = {
        dataset_example_id: example.id,
        output: run.output ?? null,
        repetition_number: run.repetition_number,
        start_time: run.start_time,
        end_time: run.end_time,
        trace_id: run.trace_id ?? null,
        error: run.error ?? null,
        id: existing?.id ?? localGlobalId("ExperimentRun"),
        experiment_id: experimentId,
      };
      await this.#files.append("runs", [stored]);
      return { status: "stored", id: stored.id } as const;
    });
  }

  async readRuns(experimentId: string): Promise<PhoenixExperimentRun[]> {
    return (await this.#runsOf(experimentId)).reverse();
  }

  upsertEvaluation(evaluation: PhoenixExperimentEvaluationData): Promise<PhoenixExperimentWrite> {
    return this.#exclusive(async () => {
      if (evaluation.result == null && evaluation.error == null) return refused(422, "Either result or error must be provided");
      const runs = latestById(await this.#files.read<PhoenixExperimentRun>("runs"));
      if (!runs.some((r) => r.id === evaluation.experiment_run_id)) {
        return refused(404, `Experiment run with ID ${evaluation.experiment_run_id} does not exist`);
      }
      const existing = (await this.#evaluations()).find((e) => e.experiment_run_id === evaluation.experiment_run_id && e.name === evaluation.name);
      const result = evaluation.result;
      const stored: StoredEvaluation = {
        id: existing?.id ?? localGlobalId("ExperimentEvaluation"),
        experiment_run_id: evaluation.experiment_run_id,
        name: evaluation.name,
        annotator_kind: evaluation.annotator_kind,
        start_time: evaluation.start_time,
        end_time: evaluation.end_time,
        result: result == null ? null : { label: result.label ?? null, score: result.score ?? null, explanation: result.explanation ?? null },
        error: evaluation.error ?? null,
        metadata: evaluation.metadata ?? {},
        trace_id: evaluation.trace_id ?? null,
      };
      await this.#files.append("evaluations", [stored]);
      return { status: "stored", id: stored.id } as const;
    });
  }

  async readExperimentJson(experimentId: string): Promise<PhoenixExperimentJsonRow[] | undefined> {
    const experiment = await this.#stored(experimentId);
    if (!experiment) return undefined;
    const examples = new Map((await this.#examplesOf(experiment)).map((e) => [e.id, e]));
    const evaluations = await this.#evaluations();
    return (await this.#runsOf(experimentId)).map((run) => {
      const example = examples.get(run.dataset_example_id);
      return {
        example_id: run.dataset_example_id,
        repetition_number: run.repetition_number,
        input: example?.input ?? {},
        reference_output: example?.output ?? {},
        output: run.output,
        error: run.error,
        latency_ms: (isoToMicros(run.end_time) - isoToMicros(run.start_time)) / 1000,
        start_time: run.start_time,
        end_time: run.end_time,
        trace_id: run.trace_id,
        prompt_token_count: null,
        completion_token_count: null,
        annotations: evaluations
          .filter((e) => e.experiment_run_id === run.id)
          .map((e) => ({
            name: e.name,
            annotator_kind: e.annotator_kind,
            label: e.result?.label ?? null,
            score: e.result?.score ?? null,
            explanation: e.result?.explanation ?? null,
            trace_id: e.trace_id,
            error: e.error,
            metadata: e.metadata ?? {},
            start_time: e.start_time,
            end_time: e.end_time,
          })),
      };
    });
  }

  compareUrl(datasetId: string, experimentIds: readonly string[]): string {
    const params = new URLSearchParams({ dataset_id: datasetId });
    for (const id of experimentIds) params.append("experiment_id", id);
    return `${pathToFileURL(this.#files.path("experiments")).href}#${params}`;
  }

  async #stored(experimentId: string): Promise<StoredExperiment | undefined> {
    return (await this.#files.read<StoredExperiment>("experiments")).find((e) => e.id === experimentId);
  }

  async #examplesOf(experiment: StoredExperiment) {
    return (await this.#datasets.examples(experiment.dataset_id, experiment.dataset_version_id))?.examples ?? [];
  }

  /** The experiment's runs, oldest first, each as last written. */
  async #runsOf(experimentId: string): Promise<PhoenixExperimentRun[]> {
    return latestById(await this.#files.read<PhoenixExperimentRun>("runs")).filter((r) => r.experiment_id === experimentId);
  }

  async #evaluations(): Promise<StoredEvaluation[]> {
    return latestById(await this.#files.read<StoredEvaluation>("evaluations"));
  }

  async #withCounts(experiment: StoredExperiment): Promise<PhoenixExperiment> {
    const runs = await this.#runsOf(experiment.id);
    const examples = (await this.#examplesOf(experiment)).length;
    const successful = runs.filter((r) => r.error === null).length;
    const failed = runs.length - successful;
    return {
      ...experiment,
      example_count: examples,
      successful_run_count: successful,
      failed_run_count: failed,
      missing_run_count: Math.max(0, examples * experiment.repetitions - successful - failed),
    };
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function refused(statusCode: number, message: string): PhoenixExperimentWrite {
  return { status: "refused", statusCode, message };
}
