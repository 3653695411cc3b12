import type { Command } from "commander";
import type { PhoenixBackend } from "../../store/backend.js";
import { openBackend } from "../../connector/backend/open-backend.js";
import { exportTraces, type ExportSelection } from "../../connector/transfer/export-traces.js";
import { exportWindow } from "../../connector/transfer/transfer.js";
import { REAL_CLOCK } from "../../http/clock.js";
import { connectionFromFlags, globalFlags, projectFromFlags } from "../global-options.js";
import { secondsToMillis } from "../option-parsers.js";
import { progressReporter } from "../progress.js";
import type { CliContext } from "../run-cli.js";
import { CliUsageError } from "../usage-error.js";
import { CliFailure } from "../cli-failure.js";

interface ExportFlags {
  trace?: string[];
  since?: string;
  until?: string;
  output: string;
  wait?: number;
  experiment?: string[];
}

export function registerExportCommand(program: Command, { output }: CliContext): void {
  program
    .command("export")
    .description("write traces (spans and their annotations) to a JSON-lines trace file")
    .option("--trace <id...>", "trace (job) ids to export, whole")
    .option("--since <time>", "without --trace: traces with a span started at or after this time (2026-01-31T12:00:00Z, 2026-01-31, or 12h / 7d ago)")
    .option("--until <time>", "without --trace: ... and before this time")
    .option("--experiment <id...>", "experiment ids to carry too: their datasets, runs and evaluations")
    .requiredOption("-o, --output <file>", "the trace file to write (- for stdout)")
    .option("--wait <seconds>", "with --trace: wait up to this long per trace for Phoenix to finish storing it", secondsToMillis)
    .addHelpText(
      "after",
      "\nWith --trace, the traces are read from --project (default PHOENIX_PROJECT, else default).\n" +
        "Without it, --project (or PHOENIX_PROJECT) names the project to export, all of it or the --since/--until window.",
    )
    .action(async (flags: ExportFlags, command: Command) => {
      const global = globalFlags(command);
      const project = projectFromFlags(global);
      let selection: ExportSelection;
      if (flags.trace) {
        if (flags.since !== undefined || flags.until !== undefined) throw new CliUsageError("--since and --until select traces by time; with --trace, leave them out.");
        selection = { project: project.name, traceIds: flags.trace.map((id) => id.trim().toLowerCase()) };
      } else {
        if (!project.named) throw new CliUsageError("Say what to export: --trace <id...>, or --project <name> [--since <time>] [--until <time>].");
        selection = { project: project.name, ...exportWindow({ start: flags.since, end: flags.until }, { start: "--since", end: "--until" }) };
      }
      const toStdout = flags.output === "-";
      const backend = openBackend(connectionFromFlags(global, output));
      const total = "traceIds" in selection ? selection.traceIds.length : undefined;
      let progress: ReturnType<typeof progressReporter> | undefined;
      try {
        // Before anything is written: a project that does not exist would give an empty file and exit 0.
        await requireProject(backend, project.name);
        progress = progressReporter(output, "export", total);
        const summary = await exportTraces(backend, selection, toStdout ? process.stdout : flags.output, {
          clock: REAL_CLOCK,
          ...(flags.wait ? { wait: { timeoutMillis: flags.wait } } : {}),
          ...(flags.experiment ? { experiments: flags.experiment.map((id) => id.trim()) } : {}),
          onProgress: (p) => progress?.update(p.tracesDone ?? 0, `${p.spans} span(s) of ${p.traces} trace(s)`),
        });
        progress.stop();
        const where = toStdout ? "stdout" : flags.output;
        // The summary goes where the data does not.
        (toStdout ? output.err : output.out)(
          `Exported ${summary.spans} spans of ${summary.traces} trace(s), ${summary.spanAnnotations} span annotation(s) and ` +
            `${summary.traceAnnotations} trace annotation(s)` +
            (flags.experiment ? `, ${summary.experiments} experiment(s) with ${summary.experimentRuns} run(s)` : "") +
            ` from project "${project.name}" at ${backend.display} to ${where}.\n`,
        );
        for (const id of summary.missing) output.err(`warning: not found in project "${project.name}": trace ${id}.\n`);
      } finally {
        progress?.stop();
        await backend.close();
      }
    });
}

/** Projects named in the message when the one asked for does not exist. */
const PROJECTS_NAMED = 20;

async function requireProject(backend: PhoenixBackend, name: string): Promise<void> {
  if (await backend.findProject(name)) return;
  const names: string[] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await backend.listProjects(cursor);
    names.push(...page.data.map((p) => p.name));
    cursor = page.nextCursor ?? undefined;
    if (names.length > PROJECTS_NAMED) more = true;
  } while (cursor !== undefined && !more);
  const shown = names.slice(0, PROJECTS_NAMED).map((n) => JSON.stringify(n));
  const list = names.length === 0 ? "it has none" : `its projects are ${shown.join(", ")}${more || cursor !== undefined ? ", …" : ""}`;
  throw new CliFailure(`There is no project ${JSON.stringify(name)} at ${backend.display}; ${list}. Nothing was written. Name one with --project (or PHOENIX_PROJECT).`);
}
