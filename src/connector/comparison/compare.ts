import { alignSteps } from "./aligned-steps.js";
import { evaluationRows } from "./evaluation-rows.js";
import { metricSummary } from "./metric-summary.js";
import { stepPaths } from "./step-paths.js";
import { summarizeTrace } from "./trace-summary.js";
import type { MetricDirection, TraceComparison, TraceData } from "./types.js";

export interface ComparisonOptions {
  /** Trace ids asked for but not found, reported in `missing`. */
  missing?: readonly string[];
  /** Whether a metric (or annotation name) is better lower or higher, overriding the built-in guess. */
  metricDirections?: Readonly<Record<string, MetricDirection>>;
  /** Notes from reading the traces (e.g. a wait that timed out), carried into `warnings`. */
  warnings?: readonly string[];
}

/**
 * Compares traces already read: pure, no I/O. The first trace is the
 * baseline of every delta. 10,000 spans compare in well under a second
 * (`npm run bench:compare`).
 */
export function compareTraceData(traces: readonly TraceData[], options: ComparisonOptions = {}): TraceComparison {
  const summaries = traces.map(summarizeTrace);
  const evaluations = evaluationRows(traces);
  const warnings = [...(options.warnings ?? [])];
  for (const summary of summaries) {
    if (summary.rootSpanId === null) {
      warnings.push(
        `Trace ${summary.traceId} has no root span in ${summary.project}: it may still be being stored (Phoenix inserts asynchronously; use the wait option) or was cut off. Its latency spans its stored spans only.`,
      );
    }
  }
  return {
    traces: summaries,
    missing: [...(options.missing ?? [])],
    spans: alignSteps(traces.map((t) => stepPaths(t.spans))),
    evaluations,
    summary: metricSummary(summaries, evaluations, options.metricDirections),
    warnings,
  };
}
