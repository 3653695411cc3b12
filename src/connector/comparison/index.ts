export type {
  TraceData,
  TokenCounts,
  CostTotals,
  TraceSummary,
  StepMeasure,
  AlignedStep,
  EvaluationCell,
  EvaluationRow,
  MetricDirection,
  MetricSummary,
  TraceComparison,
} from "./types.js";
export { compareTraceData, type ComparisonOptions } from "./compare.js";
export { compareStoredTraces, type CompareStoredOptions } from "./compare-stored.js";
export { readTraceSpans, readTraceData, type TraceWaitOptions } from "./read-traces.js";
export { metricDirection } from "./metric-direction.js";
export { formatComparison, type FormatComparisonOptions } from "./format-comparison.js";
export { PhoenixTraceNotFoundError } from "./errors.js";
