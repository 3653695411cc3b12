import { compareExperiments } from "../../connector/experiments/compare-experiments.js";
import { formatExperimentComparison } from "../../connector/experiments/format-experiment-comparison.js";
import type { PhoenixBackend } from "../../store/backend.js";
import type { CliOutput } from "../output.js";

export interface CompareExperimentFlags {
  json?: boolean;
  markdown?: boolean;
  /** Examples shown side by side (the table's --steps). */
  steps?: number;
}

/**
 * `compare --experiment A B …`: the experiment comparison (the first is the
 * baseline) as a table, Markdown or JSON, like the trace comparison.
 */
export async function printExperimentComparison(backend: PhoenixBackend, experimentIds: readonly string[], flags: CompareExperimentFlags, output: CliOutput): Promise<void> {
  const comparison = await compareExperiments(backend, experimentIds);
  output.out(
    flags.json
      ? `${JSON.stringify(comparison, null, 2)}\n`
      : formatExperimentComparison(comparison, { style: flags.markdown ? "markdown" : "text", ...(flags.steps !== undefined ? { maxExamples: flags.steps } : {}) }),
  );
}
