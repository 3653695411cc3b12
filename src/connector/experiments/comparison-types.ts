import type { MetricDirection } from "../comparison/types.js";

/** One compared experiment (the first is the baseline). */
export interface ComparedExperiment {
  id: string;
  name: string;
  datasetVersionId: string;
  repetitions: number;
  createdAt: string;
  metadata: Record<string, unknown>;
  successfulRuns: number;
  failedRuns: number;
  missingRuns: number;
}

/** An evaluation of an example in one experiment, over its repetitions. */
export interface ExampleEvaluation {
  /** Mean score over the repetitions that have one; null when none has. */
  score: number | null;
  /** The first repetition's label. */
  label: string | null;
  /** The first evaluation error, when one failed. */
  error: string | null;
  /** Repetitions evaluated. */
  count: number;
}

/** What one experiment did with one example. */
export interface ExampleRunCell {
  /** The first successful repetition's output (null when every one failed). */
  output: unknown;
  /** The first run error, when a repetition failed. */
  error: string | null;
  runs: number;
  failedRuns: number;
  traceId: string | null;
  evaluations: Record<string, ExampleEvaluation>;
}

/** An example side by side: its input and reference, and per experiment its runs (null where it has none). */
export interface ComparedExample {
  exampleId: string;
  input: Record<string, unknown>;
  reference: Record<string, unknown>;
  runs: Array<ExampleRunCell | null>;
}

/** An experiment-level measure: per experiment the value, the best and the delta against the baseline. */
export interface ExperimentMetric {
  /** An evaluation name (its mean score per run), or `run_errors` (failed runs) / `latency_ms` (mean). */
  name: string;
  direction: MetricDirection;
  values: Array<number | null>;
  /** Id of the experiment with the best value (the first on a tie); null when unranked or none has one. */
  best: string | null;
  deltas: Array<number | null>;
  relativeDeltas: Array<number | null>;
}

/** An example whose result fell (regression) or rose (improvement) against the baseline. */
export interface ExampleChange {
  exampleId: string;
  experimentId: string;
  /** The evaluation, or `run_errors` when the run failed where the baseline's did not (or the other way round). */
  name: string;
  baseline: number | null;
  value: number | null;
  /** value − baseline (null for a run that failed or recovered). */
  delta: number | null;
}

export interface ExperimentComparison {
  datasetId: string;
  datasetName: string | null;
  /** In the order asked; the first is the baseline. */
  experiments: ComparedExperiment[];
  /** Every example any experiment ran, in the baseline's order, then the others'. */
  examples: ComparedExample[];
  metrics: ExperimentMetric[];
  regressions: ExampleChange[];
  improvements: ExampleChange[];
  /** Phoenix's compare page of these experiments (the local experiments file offline). */
  url: string;
}

export interface CompareExperimentsOptions {
  /** Rank an evaluation lower- or higher-is-better yourself (default: guessed from its name, as for traces). */
  metricDirections?: Record<string, MetricDirection>;
}
