import type { Command } from "commander";
import { compareStoredTraces } from "../../connector/comparison/compare-stored.js";
import { formatComparison } from "../../connector/comparison/format-comparison.js";
import { openBackend } from "../../connector/backend/open-backend.js";
import { REAL_CLOCK } from "../../http/clock.js";
import { CliUsageError } from "../usage-error.js";
import { connectionFromFlags, globalFlags, projectFromFlags } from "../global-options.js";
import { nonNegativeInteger, secondsToMillis } from "../option-parsers.js";
import type { CliContext } from "../run-cli.js";
import { printExperimentComparison } from "./compare-experiments.js";

interface CompareFlags {
  json?: boolean;
  markdown?: boolean;
  wait?: number;
  steps?: number;
  experiment?: string[];
}

export function registerCompareCommand(program: Command, { output }: CliContext): void {
  program
    .command("compare")
    .description(
      "compare traces (totals, metrics with the best and the change against the first, evaluations, aligned steps), " +
        "or experiments with --experiment (per example outputs and evaluations, scores with deltas, regressions and improvements)",
    )
    .argument("[traceId...]", "trace (job) ids, 32 hex characters; the first is the baseline")
    .option("--experiment <id...>", "compare these experiments (logExperiment's experimentId) instead of traces; the first is the baseline")
    .option("--json", "print the comparison as JSON")
    .option("--markdown", "print Markdown tables (for a pull-request comment)")
    .option("--wait <seconds>", "wait up to this long per trace for Phoenix to finish storing it", secondsToMillis)
    .option("--steps <n>", "steps (experiments: examples) shown in the table (default 40, experiments 20; --json has all)", nonNegativeInteger)
    .action(async (traceIds: string[], flags: CompareFlags, command: Command) => {
      if (flags.json && flags.markdown) throw new CliUsageError("Choose one of --json and --markdown.");
      const global = globalFlags(command);
      if (flags.experiment) {
        if (traceIds.length > 0) throw new CliUsageError("Compare traces or experiments: with --experiment, give no trace ids (put them all after --experiment).");
        if (flags.wait) throw new CliUsageError("--wait is for traces; experiments are read as they are stored.");
        const backend = openBackend(connectionFromFlags(global, output));
        try {
          await printExperimentComparison(backend, flags.experiment, flags, output);
        } finally {
          await backend.close();
        }
        return;
      }
      if (traceIds.length === 0) throw new CliUsageError("Say what to compare: trace ids, or --experiment <id...>.");
      const project = projectFromFlags(global).name;
      const backend = openBackend(connectionFromFlags(global, output));
      try {
        const comparison = await compareStoredTraces(
          backend,
          traceIds.map((id) => ({ traceId: id.trim().toLowerCase(), project })),
          { clock: REAL_CLOCK, ...(flags.wait ? { wait: { timeoutMillis: flags.wait } } : {}) },
        );
        output.out(
          flags.json
            ? `${JSON.stringify(comparison, null, 2)}\n`
            : formatComparison(comparison, { style: flags.markdown ? "markdown" : "text", ...(flags.steps !== undefined ? { maxSteps: flags.steps } : {}) }),
        );
      } finally {
        await backend.close();
      }
    });
}
