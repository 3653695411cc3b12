import { PhoenixInputError } from "../../errors.js";
import type { PhoenixBackend } from "../../store/backend.js";
import type { PhoenixExperiment, PhoenixExperimentJsonRow } from "../../store/experiments/experiment-types.js";
import { againstBaseline } from "../comparison/baseline.js";
import { metricDirection } from "../comparison/metric-direction.js";
import type { MetricDirection } from "../comparison/types.js";
import type {
  CompareExperimentsOptions,
  ComparedExample,
  ExampleChange,
  ExampleEvaluation,
  ExperimentComparison,
  ExperimentMetric,
} from "./comparison-types.js";
import { PhoenixExperimentNotFoundError } from "./errors.js";

export const RUN_ERRORS = "run_errors";

/**
 * Reads experiments back (GET /v1/experiments/{id} and its JSON export, or
 * the local store) and sets them side by side: per example the outputs and
 * evaluations of every experiment; per evaluation the mean score of each
 * experiment with the best and the delta against the first (the baseline);
 * and the examples whose score fell (regressions) or rose (improvements)
 * against the baseline, a run that failed where the baseline's did not
 * counting as a regression (`run_errors`).
 *
 * @throws PhoenixInputError for an empty list, or experiments of different datasets
 * @throws PhoenixExperimentNotFoundError naming the ids the back end does not hold
 */
export async function compareExperiments(
  backend: PhoenixBackend,
  experimentIds: readonly string[],
  options: CompareExperimentsOptions = {},
): Promise<ExperimentComparison> {
  if (!Array.isArray(experimentIds) || experimentIds.length === 0 || experimentIds.some((id) => typeof id !== "string" || id.trim() === "")) {
    throw new PhoenixInputError("compareExperiments takes a non-empty array of experiment ids (logExperiment's experimentId); the first is the baseline.");
  }
  const ids = [...new Set(experimentIds.map((id) => id.trim()))];
  const store = backend.experiments;
  const found = await Promise.all(ids.map((id) => store.getExperiment(id)));
  const missing = ids.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) throw new PhoenixExperimentNotFoundError(missing, backend.display);
  const experiments = found as PhoenixExperiment[];
  const datasets = new Set(experiments.map((e) => e.dataset_id));
  if (datasets.size > 1) {
    throw new PhoenixInputError(
      `These experiments are on ${datasets.size} different datasets; an experiment comparison sets runs on the same examples side by side. Compare experiments of one dataset.`,
    );
  }
  const rows = await Promise.all(experiments.map(async (e) => (await store.readExperimentJson(e.id)) ?? []));
  const datasetId = experiments[0]!.dataset_id;
  const dataset = await store.getDataset(datasetId);
  const examples = alignExamples(rows);
  const directions = options.metricDirections;
  const metrics = experimentMetrics(experiments, rows, directions);
  const { regressions, improvements } = changes(experiments, examples, (name) => (name === RUN_ERRORS ? "lower" : metricDirection(name, directions)));
  return {
    datasetId,
    datasetName: dataset?.name ?? null,
    experiments: experiments.map((e) => ({
      id: e.id,
      name: e.name,
      datasetVersionId: e.dataset_version_id,
      repetitions: e.repetitions,
      createdAt: e.created_at,
      metadata: e.metadata,
      successfulRuns: e.successful_run_count,
      failedRuns: e.failed_run_count,
      missingRuns: e.missing_run_count,
    })),
    examples,
    metrics,
    regressions,
    improvements,
    url: store.compareUrl(datasetId, ids),
  };
}

function alignExamples(rows: ReadonlyArray<readonly PhoenixExperimentJsonRow[]>): ComparedExample[] {
  const byId = new Map<string, ComparedExample>();
  // The scores behind each mean, kept aside while adding up.
  const scores = new Map<ExampleEvaluation, number[]>();
  rows.forEach((experimentRows, index) => {
    for (const row of experimentRows) {
      let example = byId.get(row.example_id);
      if (!example) {
        example = { exampleId: row.example_id, input: row.input, reference: row.reference_output, runs: rows.map(() => null) };
        byId.set(row.example_id, example);
      }
      const cell = (example.runs[index] ??= { output: null, error: null, runs: 0, failedRuns: 0, traceId: row.trace_id, evaluations: {} });
      cell.runs++;
      if (row.error !== null) {
        cell.failedRuns++;
        cell.error ??= row.error;
      } else if (cell.runs - cell.failedRuns === 1) {
        cell.output = row.output;
      }
      for (const a of row.annotations) {
        const e = (cell.evaluations[a.name] ??= { score: null, label: null, error: null, count: 0 });
        e.label ??= a.label;
        e.error ??= a.error;
        e.count++;
        if (a.score === null) continue;
        const list = scores.get(e) ?? [];
        list.push(a.score);
        scores.set(e, list);
        e.score = mean(list);
      }
    }
  });
  return [...byId.values()];
}

function experimentMetrics(
  experiments: readonly PhoenixExperiment[],
  rows: ReadonlyArray<readonly PhoenixExperimentJsonRow[]>,
  directions: Readonly<Record<string, MetricDirection>> | undefined,
): ExperimentMetric[] {
  const names: string[] = [];
  for (const experimentRows of rows) for (const row of experimentRows) for (const a of row.annotations) if (!names.includes(a.name)) names.push(a.name);
  const metrics: ExperimentMetric[] = names.map((name) => {
    const values = rows.map((experimentRows) => mean(experimentRows.flatMap((r) => r.annotations.filter((a) => a.name === name && a.score !== null).map((a) => a.score!))));
    return metric(name, metricDirection(name, directions), values, experiments);
  });
  metrics.push(metric(RUN_ERRORS, "lower", rows.map((r) => r.filter((row) => row.error !== null).length), experiments));
  const latencies = rows.map((r) => mean(r.map((row) => row.latency_ms)));
  if (latencies.some((v) => v !== null && v > 0)) metrics.push(metric("latency_ms", directions?.latency_ms ?? "lower", latencies, experiments));
  return metrics;
}

function metric(name: string, direction: MetricDirection, values: Array<number | null>, experiments: readonly PhoenixExperiment[]): ExperimentMetric {
  const { bestIndex, deltas, relativeDeltas } = againstBaseline(values, direction);
  return {
    name,
    direction,
    values,
    best: bestIndex < 0 ? null : experiments[bestIndex]!.id,
    deltas,
    relativeDeltas,
  };
}

function changes(experiments: readonly PhoenixExperiment[], examples: readonly ComparedExample[], direction: (name: string) => MetricDirection) {
  const regressions: ExampleChange[] = [];
  const improvements: ExampleChange[] = [];
  for (const example of examples) {
    const base = example.runs[0];
    if (!base) continue;
    example.runs.forEach((cell, i) => {
      if (i === 0 || !cell) return;
      const experimentId = experiments[i]!.id;
      const baseFailed = base.failedRuns > 0;
      const failed = cell.failedRuns > 0;
      if (baseFailed !== failed) {
        (failed ? regressions : improvements).push({ exampleId: example.exampleId, experimentId, name: RUN_ERRORS, baseline: base.failedRuns, value: cell.failedRuns, delta: null });
      }
      for (const [name, evaluation] of Object.entries(cell.evaluations)) {
        const before = base.evaluations[name]?.score ?? null;
        const after = evaluation.score;
        const d = direction(name);
        if (before === null || after === null || before === after || d === "none") continue;
        const better = d === "lower" ? after < before : after > before;
        (better ? improvements : regressions).push({ exampleId: example.exampleId, experimentId, name, baseline: before, value: after, delta: after - before });
      }
    });
  }
  return { regressions, improvements };
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Phoenix's compare page of these experiments (the first the baseline), or
 * the local experiments file offline.
 *
 * @throws PhoenixInputError for an empty list
 * @throws PhoenixExperimentNotFoundError when the first experiment is unknown
 */
export async function experimentUrl(backend: PhoenixBackend, experimentIds: string | readonly string[]): Promise<string> {
  const ids = typeof experimentIds === "string" ? [experimentIds] : [...(Array.isArray(experimentIds) ? experimentIds : [])];
  if (ids.length === 0 || ids.some((id) => typeof id !== "string" || id.trim() === "")) {
    throw new PhoenixInputError("getExperimentUrl takes an experiment id (logExperiment's experimentId) or an array of them; the first is the baseline.");
  }
  const first = await backend.experiments.getExperiment(ids[0]!.trim());
  if (!first) throw new PhoenixExperimentNotFoundError([ids[0]!], backend.display);
  return backend.experiments.compareUrl(first.dataset_id, ids.map((id) => id.trim()));
}
