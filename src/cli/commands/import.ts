import type { Command } from "commander";
import { PhoenixConnector } from "../../connector/connector.js";
import type { ImportSummary } from "../../connector/transfer/import-traces.js";
import { EXIT } from "../exit-codes.js";
import { connectionFromFlags, globalFlags, projectFromFlags } from "../global-options.js";
import { progressReporter } from "../progress.js";
import type { CliContext } from "../run-cli.js";
import { CliUsageError } from "../usage-error.js";

interface ImportFlags {
  newIds?: boolean;
  idSeed?: string;
  resume?: boolean;
  restart?: boolean;
}

export function registerImportCommand(program: Command, context: CliContext): void {
  const { output } = context;
  program
    .command("import")
    .description("send a trace file's spans and annotations to a project (retries, duplicates counted, resumable)")
    .argument("<file>", "a trace file written by `phoenix-connector export` (or exportTrace)")
    .option("--new-ids", "give the copy new trace and span ids (to copy traces onto a server that has them already)")
    .option("--id-seed <seed>", "derive the new ids from this seed: the same copy every run (implies --new-ids)")
    .option("--resume", "continue an interrupted import of this file")
    .option("--restart", "start over, discarding an interrupted import's progress")
    .addHelpText(
      "after",
      "\nThe project is --project (or PHOENIX_PROJECT); a new name is created. Progress is kept in <file>.import-progress.json\n" +
        "until the import completes. Exit code 0 when every span is stored (duplicates included), 1 when some failed.",
    )
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      const global = globalFlags(command);
      const project = projectFromFlags(global);
      if (!project.named) throw new CliUsageError("Name the project to import into: --project <name> (or PHOENIX_PROJECT).");
      if (flags.resume && flags.restart) throw new CliUsageError("Choose one of --resume and --restart.");
      const connector = new PhoenixConnector({ annotationDelayMillis: 0 });
      const progress = progressReporter(output, "import", 1);
      try {
        await connector.connect({ ...connectionFromFlags(global, output), projectId: project.name });
        context.interruptHint = `What was sent stays; run the same command with --resume to continue.`;
        const summary = await connector.importTraces(file, {
          projectId: project.name,
          ...(flags.idSeed !== undefined ? { newIds: { seed: flags.idSeed } } : flags.newIds ? { newIds: true } : {}),
          ...(flags.resume ? { resume: true } : {}),
          ...(flags.restart ? { restart: true } : {}),
          onProgress: (p) => {
            const counts = `${p.counts.sent} sent, ${p.counts.duplicates} duplicate, ${p.counts.failed} failed`;
            progress.update(p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal, p.waiting ? `${counts} — waiting: ${p.waiting}` : counts);
          },
        });
        progress.stop();
        printSummary(summary, context);
      } finally {
        progress.stop();
        context.interruptHint = undefined;
        await connector.disconnect();
      }
    });
}

function printSummary(summary: ImportSummary, { output, exitWith }: CliContext): void {
  output.out(
    `Imported ${summary.file} into project "${summary.project}" at ${summary.destination}: ` +
      `${summary.sent} sent, ${summary.duplicates} duplicate, ${summary.failed} failed; ` +
      `annotations: ${summary.annotationsStored} stored, ${summary.annotationsFailed} failed.\n`,
  );
  const e = summary.experiments;
  if (e) output.out(`Experiments: ${e.experiments} imported (${e.runs} run(s), ${e.evaluations} evaluation(s)), ${e.skipped} already there, ${e.failed} failed.\n`);
  if (summary.newIdsSeed !== null) output.out(`New ids derived with seed ${summary.newIdsSeed} (--id-seed ${summary.newIdsSeed} makes the same copy again).\n`);
  for (const note of summary.notes) output.out(`${note}\n`);
  for (const failure of summary.failures) output.err(`failed: ${failure.reason}\n`);
  if (summary.failed > 0 || summary.annotationsFailed > 0 || (e?.failed ?? 0) > 0) exitWith(EXIT.failure);
}
