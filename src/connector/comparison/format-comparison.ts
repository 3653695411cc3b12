import type { AlignedStep, EvaluationCell, MetricSummary, StepMeasure, TraceComparison, TraceSummary } from "./types.js";
import { isoToMicros } from "../../store/iso-micros.js";
import { markdownTable, textTable } from "./text-table.js";

export interface FormatComparisonOptions {
  /** `text` for a terminal (default), `markdown` for a pull-request comment. */
  style?: "text" | "markdown";
  /** Steps shown at most (tree order); the rest are counted. Default 40; 0 leaves the steps out. */
  maxSteps?: number;
}

const ABSENT = "—";

/**
 * The comparison as a readable table: the traces (A is the baseline), every
 * metric with the best marked `*` and each delta against A, the evaluations,
 * then the aligned steps. The JSON form is the comparison object itself.
 */
export function formatComparison(comparison: TraceComparison, options: FormatComparisonOptions = {}): string {
  const style = options.style ?? "text";
  const maxSteps = options.maxSteps ?? 40;
  const { traces } = comparison;
  const letters = traces.map((_, i) => columnName(i));
  const out: string[] = [];
  const section = (title: string, header: string[], rows: string[][]) => {
    if (rows.length === 0) return;
    if (out.length > 0) out.push("");
    if (style === "markdown") {
      out.push(`#### ${title}`, "", ...markdownTable(header, rows));
    } else {
      out.push(title, ...textTable([header, ...rows]).map((line) => `  ${line}`));
    }
  };
  const code = (text: string) => (style === "markdown" ? `\`${text}\`` : text);

  section(
    `Traces (${traces.length} compared; A is the baseline)`,
    ["", "trace id", "root", "status", "start", "project"],
    traces.map((t, i) => [letters[i]!, code(t.traceId), t.rootName ?? ABSENT, t.status ?? ABSENT, startText(t.startTime), t.project]),
  );
  section(
    "Spans and models",
    ["", ...letters],
    [
      ["spans by kind", ...traces.map(kindsText)],
      ["models", ...traces.map((t) => (t.models.length > 0 ? t.models.join(", ") : ABSENT))],
    ],
  );
  const traceMetrics = comparison.summary.filter((m) => m.source === "trace");
  section(
    "Metrics (* best, ↓ lower is better, ↑ higher; change against A)",
    ["metric", ...letters],
    traceMetrics.map((m) => [metricLabel(m.metric, m), ...m.values.map((_, i) => metricCell(m, i, traces))]),
  );
  const annotationSummary = new Map(comparison.summary.filter((m) => m.source !== "trace").map((m) => [`${m.source}\u0000${m.metric}`, m]));
  section(
    "Annotations (* best; a metric logged at every step shows its last value, ×count and mean; (spans): mean over the spans)",
    ["annotation", ...letters],
    comparison.evaluations.map((row) => {
      const summary = annotationSummary.get(`${row.target}_annotation\u0000${row.name}`);
      const name = row.target === "span" ? `${row.name} (spans)` : row.name;
      return [metricLabel(name, summary), ...row.traces.map((cell, i) => annotationCell(cell, summary, i, traces))];
    }),
  );
  if (maxSteps > 0 && comparison.spans.length > 0) {
    const shown = comparison.spans.slice(0, maxSteps);
    const rows = shown.map((step) => [stepLabel(step, style), ...step.traces.map(stepText)]);
    const more = comparison.spans.length - shown.length;
    section(`Steps (latency ms · tokens; ${ABSENT} = not in that trace)`, ["step", ...letters], rows);
    if (more > 0) out.push("", `${more} more step(s) not shown (--json, or the comparison's spans, has them all).`);
  }
  const notes = [
    ...comparison.missing.map((id) => `Not found: trace ${id}.`),
    ...comparison.warnings,
  ];
  if (notes.length > 0) out.push("", ...notes.map((n) => (style === "markdown" ? `> ${n}` : n)));
  return `${out.join("\n")}\n`;
}

/** A, B, …, Z, AA, AB… */
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Readable numbers: integers as they are, others to 4 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** One form whatever the store wrote (`+00:00` or `Z`, micro- or milliseconds): UTC to the millisecond. */
function startText(start: string | null): string {
  if (start === null) return ABSENT;
  const micros = isoToMicros(start);
  return Number.isFinite(micros) ? new Date(Math.floor(micros / 1000)).toISOString() : start;
}

function kindsText(trace: TraceSummary): string {
  const kinds = Object.entries(trace.spanKinds).sort(([a], [b]) => (a < b ? -1 : 1));
  return kinds.length > 0 ? kinds.map(([kind, n]) => `${kind} ${n}`).join(", ") : ABSENT;
}

function metricLabel(name: string, m: MetricSummary | undefined): string {
  return !m || m.direction === "none" ? name : `${name} ${m.direction === "lower" ? "↓" : "↑"}`;
}

/** The value, `*` on the best, and the change against the baseline. */
function metricCell(m: MetricSummary, i: number, traces: readonly TraceSummary[]): string {
  return againstBaselineCell(m, i, m.best !== null && m.best === traces[i]!.traceId);
}

/** Column `i` of a metric row: the value, `*` when `best`, and (after the baseline column) its change against the baseline. */
export function againstBaselineCell(
  m: { values: ReadonlyArray<number | null>; deltas: ReadonlyArray<number | null>; relativeDeltas: ReadonlyArray<number | null> },
  i: number,
  best: boolean,
): string {
  const value = m.values[i];
  if (value === null || value === undefined) return ABSENT;
  let text = formatNumber(value);
  if (best) text += " *";
  const delta = m.deltas[i];
  if (i > 0 && delta !== null && delta !== undefined) {
    const relative = m.relativeDeltas[i];
    const sign = delta > 0 ? "+" : delta < 0 ? "-" : "±";
    const parts = [`${sign}${formatNumber(Math.abs(delta))}`];
    if (relative !== null && relative !== undefined && delta !== 0) parts.push(`${sign}${Math.round(Math.abs(relative) * 100)}%`);
    text += ` (${parts.join(", ")})`;
  }
  return text;
}

function annotationCell(cell: EvaluationCell | null, summary: MetricSummary | undefined, i: number, traces: readonly TraceSummary[]): string {
  if (!cell) return ABSENT;
  const parts: string[] = [];
  if (cell.label !== null) parts.push(cell.label);
  if (summary && summary.values[i] !== null) parts.push(metricCell(summary, i, traces));
  if (cell.count > 1) parts.push(`×${cell.count}${cell.mean !== null ? ` mean ${formatNumber(cell.mean)}` : ""}`);
  return parts.join(" ") || ABSENT;
}

function stepLabel(step: AlignedStep, style: "text" | "markdown"): string {
  const segment = step.path[step.path.length - 1]!;
  return style === "markdown" ? `${"&emsp;".repeat(step.depth)}${segment}` : `${"  ".repeat(step.depth)}${segment}`;
}

function stepText(measure: StepMeasure | null): string {
  if (!measure) return ABSENT;
  const latency = measure.latencyMs === null ? "?" : formatNumber(Math.round(measure.latencyMs * 10) / 10);
  const tokens = measure.tokens ? ` · ${formatNumber(measure.tokens.total)}` : "";
  const error = measure.status === "ERROR" ? " ERROR" : "";
  return `${latency}${tokens}${error}`;
}
