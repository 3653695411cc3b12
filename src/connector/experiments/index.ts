export type {
  ExperimentExample,
  ExperimentRunContext,
  ExperimentEvaluator,
  ExperimentEvaluatorFunction,
  ExperimentEvaluatorResult,
  ExperimentHallucinationOptions,
  LogExperimentOptions,
  ExperimentEvaluationOutcome,
  ExperimentRunOutcome,
  ExperimentWriteFailure,
  ExperimentResult,
} from "./types.js";
export { PhoenixExperimentNotFoundError } from "./errors.js";
export type {
  ComparedExperiment,
  ComparedExample,
  ExampleRunCell,
  ExampleEvaluation,
  ExperimentMetric,
  ExampleChange,
  ExperimentComparison,
  CompareExperimentsOptions,
} from "./comparison-types.js";
export { compareExperiments } from "./compare-experiments.js";
export { formatExperimentComparison, type FormatExperimentComparisonOptions } from "./format-experiment-comparison.js";
