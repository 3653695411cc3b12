import type { PhoenixSpanAnnotation, PhoenixTraceAnnotation } from "../../store/backend.js";
import type { EvaluationCell, EvaluationRow, TraceData } from "./types.js";

type Annotation = PhoenixSpanAnnotation | PhoenixTraceAnnotation;

/**
 * Every annotation name of any trace, with each trace's value: trace
 * annotations (metrics, evaluations) first, then span annotations
 * (hallucination checks, human feedback), each sorted by name.
 */
export function evaluationRows(traces: readonly TraceData[]): EvaluationRow[] {
  const rows = new Map<string, EvaluationRow>();
  const collect = (target: "trace" | "span", index: number, annotations: readonly Annotation[]) => {
    const byName = new Map<string, Annotation[]>();
    for (const annotation of annotations) {
      let list = byName.get(annotation.name);
      if (!list) byName.set(annotation.name, (list = []));
      list.push(annotation);
    }
    for (const [name, list] of byName) {
      const key = `${target}\u0000${name}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { name, target, traces: traces.map(() => null) }));
      row.traces[index] = target === "trace" ? lastValueCell(list) : spanMeanCell(list);
    }
  };
  traces.forEach((trace, index) => {
    // Annotations of spans outside this trace (a query that matched more) are not this trace's.
    const spanIds = new Set(trace.spans.map((s) => s.context.span_id));
    collect("trace", index, trace.traceAnnotations.filter((a) => a.trace_id === trace.traceId));
    collect("span", index, trace.spanAnnotations.filter((a) => spanIds.has(a.span_id)));
  });
  return [...rows.values()].sort((a, b) => (a.target !== b.target ? (a.target === "trace" ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A trace annotation logged several times (a metric at every step): the last one counts, by step, then by time. */
function lastValueCell(list: Annotation[]): EvaluationCell {
  // Read back newest first: reversed, a tie keeps the newest last.
  const ordered = [...list].reverse().sort(byStepThenTime);
  const last = ordered[ordered.length - 1]!;
  return { ...aggregate(list), score: finite(last.result?.score), label: last.result?.label ?? null };
}

/** A span annotation over the trace's spans: the mean score and the most frequent label. */
function spanMeanCell(list: Annotation[]): EvaluationCell {
  const cell = aggregate(list);
  let label: string | null = null;
  for (const [name, count] of Object.entries(cell.labels)) {
    if (label === null || count > cell.labels[label]! || (count === cell.labels[label] && name < label)) label = name;
  }
  return { ...cell, score: cell.mean, label };
}

function aggregate(list: Annotation[]): EvaluationCell {
  let sum = 0;
  let scored = 0;
  const labels: Record<string, number> = {};
  for (const annotation of list) {
    const score = finite(annotation.result?.score);
    if (score !== null) {
      sum += score;
      scored++;
    }
    const label = annotation.result?.label;
    if (typeof label === "string" && label !== "") labels[label] = (labels[label] ?? 0) + 1;
  }
  return { score: null, label: null, count: list.length, mean: scored > 0 ? sum / scored : null, labels };
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function stepOf(annotation: Annotation): number | undefined {
  const step = annotation.metadata?.step;
  if (typeof step === "number" && Number.isFinite(step)) return step;
  // logMetrics names its identifier step-<n>.
  const match = /^step-(\d+)$/.exec(annotation.identifier ?? "");
  return match ? Number(match[1]) : undefined;
}

function byStepThenTime(a: Annotation, b: Annotation): number {
  const sa = stepOf(a);
  const sb = stepOf(b);
  if (sa !== undefined && sb !== undefined && sa !== sb) return sa - sb;
  const ta = Date.parse(a.updated_at || a.created_at);
  const tb = Date.parse(b.updated_at || b.created_at);
  if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  return 0;
}
