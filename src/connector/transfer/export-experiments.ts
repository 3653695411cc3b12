import type { PhoenixBackend } from "../../store/backend.js";
import type { PhoenixExperiment } from "../../store/experiments/experiment-types.js";
import { PhoenixExperimentNotFoundError } from "../experiments/errors.js";
import type { JsonLinesWriter } from "./json-lines-writer.js";
import type { ExperimentFileRecord } from "./trace-file-format.js";

/**
 * The experiments an export carries, each looked up before anything is
 * written, so that an unknown id fails the export instead of cutting it.
 *
 * @throws PhoenixExperimentNotFoundError naming every unknown id
 */
export async function findExperiments(backend: PhoenixBackend, ids: readonly string[]): Promise<PhoenixExperiment[]> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => backend.experiments.getExperiment(id)));
  const missing = unique.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) throw new PhoenixExperimentNotFoundError(missing, backend.display);
  return found as PhoenixExperiment[];
}

/**
 * Writes the experiments' records (format: trace-file-format.ts): each
 * dataset version once, with its examples, then every experiment and its
 * runs as GET /v1/experiments/{id}/json returns them (example id,
 * repetition, output, error, times, trace id and the evaluations).
 */
export async function writeExperiments(
  backend: PhoenixBackend,
  experiments: readonly PhoenixExperiment[],
  writer: JsonLinesWriter,
): Promise<{ experiments: number; runs: number }> {
  const store = backend.experiments;
  const versions = new Set<string>();
  let runs = 0;
  const write = (record: ExperimentFileRecord) => writer.write(record);
  for (const experiment of experiments) {
    const key = `${experiment.dataset_id}\u0000${experiment.dataset_version_id}`;
    if (!versions.has(key)) {
      versions.add(key);
      const dataset = await store.getDataset(experiment.dataset_id);
      const examples = await store.readExamples(experiment.dataset_id, experiment.dataset_version_id);
      if (!dataset || !examples) throw new PhoenixExperimentNotFoundError([experiment.id], `${backend.display} (its dataset is gone)`);
      await write({ type: "dataset", data: dataset, version_id: experiment.dataset_version_id, examples: examples.examples });
    }
    await write({ type: "experiment", data: experiment });
    const rows = (await store.readExperimentJson(experiment.id)) ?? [];
    for (const row of rows) await write({ type: "experiment_run", experiment_id: experiment.id, data: row });
    runs += rows.length;
  }
  return { experiments: experiments.length, runs };
}
