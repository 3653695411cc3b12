import { againstBaseline } from "./baseline.js";
import { metricDirection } from "./metric-direction.js";
import type { EvaluationRow, MetricDirection, MetricSummary, TraceSummary } from "./types.js";

/** The trace-level metrics every comparison ranks, with their direction. */
const TRACE_METRICS: ReadonlyArray<{ metric: string; direction: MetricDirection; value: (t: TraceSummary) => number | null }> = [
  { metric: "latency_ms", direction: "lower", value: (t) => t.latencyMs },
  { metric: "tokens.prompt", direction: "lower", value: (t) => t.tokens.prompt },
  { metric: "tokens.completion", direction: "lower", value: (t) => t.tokens.completion },
  { metric: "tokens.total", direction: "lower", value: (t) => t.tokens.total },
  { metric: "cost.total", direction: "lower", value: (t) => t.cost?.total ?? null },
  { metric: "errors", direction: "lower", value: (t) => t.errorCount },
  // More spans is neither better nor worse: shown with deltas, never ranked.
  { metric: "spans", direction: "none", value: (t) => t.spanCount },
];

/**
 * Per metric — the trace metrics, then every numeric annotation — the best
 * trace and each trace's delta against the baseline (the first trace).
 */
export function metricSummary(
  traces: readonly TraceSummary[],
  evaluations: readonly EvaluationRow[],
  directions?: Readonly<Record<string, MetricDirection>>,
): MetricSummary[] {
  const out: MetricSummary[] = [];
  for (const { metric, direction, value } of TRACE_METRICS) {
    const values = traces.map(value);
    // Cost only when some trace reports one: an all-null row says nothing.
    if (values.every((v) => v === null)) continue;
    out.push(summarize(metric, "trace", directions?.[metric] ?? direction, values, traces));
  }
  for (const row of evaluations) {
    const values = row.traces.map((cell) => cell?.score ?? null);
    if (values.every((v) => v === null)) continue;
    out.push(summarize(row.name, row.target === "trace" ? "trace_annotation" : "span_annotation", metricDirection(row.name, directions), values, traces));
  }
  return out;
}

function summarize(
  metric: string,
  source: MetricSummary["source"],
  direction: MetricDirection,
  values: Array<number | null>,
  traces: readonly TraceSummary[],
): MetricSummary {
  const { bestIndex, deltas, relativeDeltas } = againstBaseline(values, direction);
  return {
    metric,
    source,
    direction,
    values,
    best: bestIndex < 0 ? null : traces[bestIndex]!.traceId,
    deltas,
    relativeDeltas,
  };
}
