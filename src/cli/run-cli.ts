import { createRequire } from "node:module";
import { DiagLogLevel, diag } from "@opentelemetry/api";
import { Command } from "commander";
import { setConfigProcessWarnings } from "../config/config-warnings.js";
import { registerCompareCommand } from "./commands/compare.js";
import { registerDetectCommand } from "./commands/detect.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerExportCommand } from "./commands/export.js";
import { registerImportCommand } from "./commands/import.js";
import { reportError } from "./error-exit.js";
import { EXIT } from "./exit-codes.js";
import { addGlobalOptions, globalFlags } from "./global-options.js";
import type { CliOutput } from "./output.js";

/** What a command's action needs: where to print, and how to set the exit code. */
export interface CliContext {
  output: CliOutput;
  /** Sets the exit code of the run (the last call wins). */
  exitWith(code: number): void;
  /** Printed when Ctrl-C interrupts the command (e.g. how to resume). */
  interruptHint?: string;
}

/** Runs the CLI on `argv` (without node and the script); resolves with the exit code. */
export async function runCli(argv: readonly string[], output: CliOutput): Promise<number> {
  let exitCode: number = EXIT.ok;
  const context: CliContext = { output, exitWith: (code) => (exitCode = code) };
  const onInterrupt = () => {
    output.err(`\nInterrupted.${context.interruptHint ? ` ${context.interruptHint}` : ""}\n`);
    process.exit(EXIT.interrupted);
  };
  process.once("SIGINT", onInterrupt);
  // Every diag warning reaches stderr (below): a process warning would say a bad setting twice.
  setConfigProcessWarnings(false);
  const program = new Command("phoenix-connector")
    .description("Compare, export and import Phoenix traces, check responses for hallucinations, and check the setup.")
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) })
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  addGlobalOptions(program);
  program.hook("preAction", (_program, action) => {
    const { verbose } = globalFlags(action);
    // The library logs through diag: warnings always reach stderr, the rest with --verbose.
    diag.setLogger(
      {
        error: (message) => output.err(`error: ${message}\n`),
        warn: (message) => output.err(`warning: ${message}\n`),
        info: (message) => output.err(`${message}\n`),
        debug: (message) => output.err(`${message}\n`),
        verbose: (message) => output.err(`${message}\n`),
      },
      { logLevel: verbose ? DiagLogLevel.INFO : DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  });
  for (const register of [registerCompareCommand, registerExportCommand, registerImportCommand, registerDetectCommand, registerDoctorCommand]) {
    register(program, context);
  }

  if (argv.length === 0) {
    output.err(program.helpInformation());
    return EXIT.usage;
  }
  let commandName: string | undefined;
  // The library's backoff timers do not keep a process alive (they must not, in an application);
  // a command waiting on purpose does, until it is done.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    commandName = program.commands.find((c) => argv.includes(c.name()))?.name();
    return reportError(error, output, argv.includes("--verbose"), commandName);
  } finally {
    clearInterval(keepAlive);
    process.removeListener("SIGINT", onInterrupt);
  }
  return exitCode;
}

function packageVersion(): string {
  // src/cli/ and dist/cli/ are both two levels below the package root.
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}
