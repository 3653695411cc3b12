import { PhoenixInputError } from "../../errors.js";
import type { PhoenixAnnotatorKind } from "../../store/backend.js";
import type { PhoenixExperiment, PhoenixExperimentJsonRow, PhoenixExperimentStore } from "../../store/experiments/experiment-types.js";
import { syncDataset } from "../experiments/dataset-sync.js";
import type { PlannedExample } from "../experiments/experiment-input.js";
import type { IdRemapper } from "./id-remapper.js";
import type { DatasetRecord, ExperimentFileRecord } from "./trace-file-format.js";

export interface ExperimentImportCounts {
  /** Experiments created. */
  experiments: number;
  /** Experiments already imported by an earlier import of the same file (same seed): left as they are. */
  skipped: number;
  runs: number;
  evaluations: number;
  /** Experiments, runs and evaluations that could not be imported (see the import's failures). */
  failed: number;
}

const KINDS: ReadonlySet<string> = new Set(["LLM", "CODE", "HUMAN"]);

/**
 * The experiment records of a trace file, gathered while the spans are
 * imported and written once they are (a run names its trace). Each
 * experiment lands on a dataset of the same name — created, found with the
 * same examples, or given the missing ones as a new version — as a new
 * experiment whose metadata names the one it came from (`imported_from`,
 * and `import_seed` for a copy with new ids), so importing the file again
 * finds it instead of making a second one. Run trace ids follow `newIds`.
 */
export class ExperimentRecords {
  readonly #datasets = new Map<string, DatasetRecord>();
  readonly #experiments: PhoenixExperiment[] = [];
  readonly #runs = new Map<string, PhoenixExperimentJsonRow[]>();

  add(record: ExperimentFileRecord): void {
    if (record.type === "dataset") this.#datasets.set(versionKey(record.data.id, record.version_id), record);
    else if (record.type === "experiment") this.#experiments.push(record.data);
    else {
      let rows = this.#runs.get(record.experiment_id);
      if (!rows) this.#runs.set(record.experiment_id, (rows = []));
      rows.push(record.data);
    }
  }

  get empty(): boolean {
    return this.#experiments.length === 0;
  }

  async importInto(
    store: PhoenixExperimentStore,
    how: { display: string; remapper: IdRemapper | undefined; seed: string | null; fail: (reason: string) => void },
  ): Promise<ExperimentImportCounts> {
    const counts: ExperimentImportCounts = { experiments: 0, skipped: 0, runs: 0, evaluations: 0, failed: 0 };
    const traceId = (id: string | null) => (id !== null && how.remapper ? how.remapper.traceId(id) : id);
    for (const experiment of this.#experiments) {
      const record = this.#datasets.get(versionKey(experiment.dataset_id, experiment.dataset_version_id));
      const failed = (reason: string) => {
        counts.failed++;
        how.fail(`experiment ${JSON.stringify(experiment.name)}: ${reason}`);
      };
      if (!record) {
        failed("its dataset is not in the file");
        continue;
      }
      // Back where it came from (same id, name and creation time), keeping the ids: it is there already.
      const same = how.seed === null ? await store.getExperiment(experiment.id) : undefined;
      if (same && same.name === experiment.name && same.created_at === experiment.created_at) {
        counts.skipped++;
        continue;
      }
      const examples: PlannedExample[] = record.examples.map((e) => ({
        example: { input: e.input },
        content: { input: e.input, output: e.output, metadata: e.metadata },
        id: e.id,
        spanId: null,
      }));
      let dataset;
      try {
        dataset = await syncDataset(store, { name: record.data.name, ...(record.data.description ? { description: record.data.description } : {}), examples, onNewExamples: "append", display: how.display });
      } catch (error) {
        if (!(error instanceof PhoenixInputError)) throw error;
        failed(error.message);
        continue;
      }
      const existing = (await store.listExperiments(dataset.datasetId)).find(
        (e) => e.metadata.imported_from === experiment.id && (e.metadata.import_seed ?? null) === how.seed,
      );
      if (existing) {
        counts.skipped++;
        continue;
      }
      const created = await store.createExperiment(dataset.datasetId, {
        name: experiment.name,
        ...(experiment.description !== null ? { description: experiment.description } : {}),
        metadata: { ...experiment.metadata, imported_from: experiment.id, ...(how.seed !== null ? { import_seed: how.seed } : {}) },
        version_id: dataset.versionId,
        repetitions: experiment.repetitions,
      });
      if (!created) {
        failed(`${how.display} refused to create it`);
        continue;
      }
      counts.experiments++;
      for (const row of this.#runs.get(experiment.id) ?? []) {
        const run = await store.createRun(created.id, {
          dataset_example_id: row.example_id,
          output: row.output,
          repetition_number: row.repetition_number,
          start_time: row.start_time,
          end_time: row.end_time,
          trace_id: traceId(row.trace_id),
          error: row.error,
        });
        if (run.status === "refused") {
          failed(`run of example ${row.example_id}: ${run.message}`);
          continue;
        }
        counts.runs++;
        for (const a of row.annotations) {
          const stored = await store.upsertEvaluation({
            experiment_run_id: run.id,
            name: a.name,
            annotator_kind: (KINDS.has(a.annotator_kind) ? a.annotator_kind : "CODE") as PhoenixAnnotatorKind,
            start_time: a.start_time || row.start_time,
            end_time: a.end_time || row.end_time,
            ...(a.error !== null ? { error: a.error } : { result: { label: a.label, score: a.score, explanation: a.explanation } }),
            metadata: a.metadata,
            trace_id: traceId(a.trace_id),
          });
          if (stored.status === "refused") failed(`evaluation ${a.name} of example ${row.example_id}: ${stored.message}`);
          else counts.evaluations++;
        }
      }
    }
    return counts;
  }
}

function versionKey(datasetId: string, versionId: string): string {
  return `${datasetId}\u0000${versionId}`;
}
