import { againstBaselineCell, columnName, formatNumber } from "../comparison/format-comparison.js";
import { markdownTable, textTable } from "../comparison/text-table.js";
import { isoToMicros } from "../../store/iso-micros.js";
import type { ExampleChange, ExampleRunCell, ExperimentComparison, ExperimentMetric } from "./comparison-types.js";

export interface FormatExperimentComparisonOptions {
  /** `text` for a terminal (default), `markdown` for a pull-request comment. */
  style?: "text" | "markdown";
  /** Examples shown side by side at most; the rest are counted. Default 20; 0 leaves them out. */
  maxExamples?: number;
  /** Longest text of an input, output or reference cell. Default 40. */
  maxCellLength?: number;
}

const ABSENT = "—";

/**
 * The experiment comparison as readable tables: the experiments (A is the
 * baseline), the scores with the best marked `*` and each change against A,
 * the regressions and improvements, then the examples side by side and the
 * link to Phoenix's compare page. The JSON form is the comparison object.
 */
export function formatExperimentComparison(comparison: ExperimentComparison, options: FormatExperimentComparisonOptions = {}): string {
  const style = options.style ?? "text";
  const maxExamples = options.maxExamples ?? 20;
  const width = options.maxCellLength ?? 40;
  const { experiments } = comparison;
  const letters = experiments.map((_, i) => columnName(i));
  const letterOf = new Map(experiments.map((e, i) => [e.id, letters[i]!]));
  const out: string[] = [];
  const section = (title: string, header: string[], rows: string[][]) => {
    if (rows.length === 0) return;
    if (out.length > 0) out.push("");
    if (style === "markdown") out.push(`#### ${title}`, "", ...markdownTable(header, rows));
    else out.push(title, ...textTable([header, ...rows]).map((line) => `  ${line}`));
  };
  const code = (text: string) => (style === "markdown" ? `\`${text}\`` : text);
  const dataset = comparison.datasetName === null ? code(comparison.datasetId) : JSON.stringify(comparison.datasetName);

  section(
    `Experiments (${experiments.length} compared on dataset ${dataset}; A is the baseline)`,
    ["", "experiment id", "name", "runs", "failed", "missing", "created"],
    experiments.map((e, i) => [letters[i]!, code(e.id), e.name, String(e.successfulRuns + e.failedRuns), String(e.failedRuns), String(e.missingRuns), timeText(e.createdAt)]),
  );
  section(
    "Scores (mean per run; * best, ↑ higher is better, ↓ lower; change against A)",
    ["evaluation", ...letters],
    comparison.metrics.map((m) => [label(m), ...m.values.map((_, i) => metricCell(m, i, experiments[i]!.id))]),
  );
  const inputOf = new Map(comparison.examples.map((e) => [e.exampleId, short(e.input, width)]));
  const changeRows = (list: readonly ExampleChange[]) =>
    list.map((c) => [letterOf.get(c.experimentId) ?? "?", code(c.exampleId), inputOf.get(c.exampleId) ?? "", c.name, valueText(c.baseline), valueText(c.value)]);
  const changeHeader = ["", "example", "input", "evaluation", "A", "value"];
  section(`Regressions (${comparison.regressions.length}: examples whose result fell against A)`, changeHeader, changeRows(comparison.regressions));
  section(`Improvements (${comparison.improvements.length}: examples whose result rose against A)`, changeHeader, changeRows(comparison.improvements));
  if (comparison.regressions.length === 0 && comparison.improvements.length === 0 && experiments.length > 1) {
    out.push("", "No example changed its result against A.");
  }
  if (maxExamples > 0 && comparison.examples.length > 0) {
    const shown = comparison.examples.slice(0, maxExamples);
    section(
      "Examples (output · evaluations per experiment)",
      ["example", "input", "reference", ...letters],
      shown.map((e) => [code(e.exampleId), short(e.input, width), short(e.reference, width), ...e.runs.map((cell) => runText(cell, width))]),
    );
    const more = comparison.examples.length - shown.length;
    if (more > 0) out.push("", `${more} more example(s) not shown (--json, or the comparison's examples, has them all).`);
  }
  out.push("", `${comparison.url.startsWith("file:") ? "Stored in" : "Compare in Phoenix"}: ${comparison.url}`);
  return `${out.join("\n")}\n`;
}

function label(m: ExperimentMetric): string {
  return m.direction === "none" ? m.name : `${m.name} ${m.direction === "lower" ? "↓" : "↑"}`;
}

function metricCell(m: ExperimentMetric, i: number, id: string): string {
  return againstBaselineCell(m, i, m.best === id && m.values.filter((v) => v !== null).length > 1);
}

function valueText(value: number | null): string {
  return value === null ? ABSENT : formatNumber(value);
}

function runText(cell: ExampleRunCell | null, width: number): string {
  if (!cell) return ABSENT;
  const output = cell.failedRuns === cell.runs ? `ERROR ${short(cell.error, width)}` : short(cell.output, width);
  const scores = Object.entries(cell.evaluations)
    .map(([name, e]) => `${name}=${e.score !== null ? formatNumber(e.score) : e.label ?? (e.error !== null ? "error" : ABSENT)}`)
    .join(", ");
  const repeats = cell.runs > 1 ? ` ×${cell.runs}${cell.failedRuns > 0 && cell.failedRuns < cell.runs ? ` (${cell.failedRuns} failed)` : ""}` : "";
  return `${output}${repeats}${scores ? ` · ${scores}` : ""}`;
}

/** A value on one line, at most `width` characters: a lone string field shown as its text. */
function short(value: unknown, width: number): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && typeof Object.values(value)[0] === "string") {
    text = Object.values(value)[0] as string;
  } else text = JSON.stringify(value) ?? String(value);
  text = text.replace(/\s+/g, " ").trim();
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** One form whatever the store wrote: UTC to the millisecond. */
function timeText(time: string): string {
  const micros = isoToMicros(time);
  return Number.isFinite(micros) ? new Date(Math.floor(micros / 1000)).toISOString() : time;
}
