import { CommanderError } from "commander";
import { PhoenixConfigurationError, PhoenixInputError } from "../errors.js";
import { PhoenixTraceFileError } from "../connector/transfer/errors.js";
import { HallucinationInputError, LlmJudgeConfigError } from "../hallucination/errors.js";
import { EXIT } from "./exit-codes.js";
import { isClosedPipe, type CliOutput } from "./output.js";
import { CliUsageError } from "./usage-error.js";

/**
 * Errors whose fix is to change the command line: a bad flag value, a bad
 * argument to the library, a file that is not a trace export.
 */
const USAGE_ERRORS: ReadonlyArray<new (...args: never[]) => Error> = [
  CliUsageError,
  PhoenixConfigurationError,
  PhoenixInputError,
  PhoenixTraceFileError,
  HallucinationInputError,
  LlmJudgeConfigError,
];

/** Prints what went wrong (a stack trace only with --verbose) and returns the exit code. */
export function reportError(error: unknown, output: CliOutput, verbose: boolean, commandName?: string): number {
  if (error instanceof CommanderError) {
    // Commander printed its own message (help, version, unknown option…).
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // The reader of the output went away (| head -1): it has what it wanted.
  if (isClosedPipe(error)) return EXIT.ok;
  const usage = USAGE_ERRORS.some((type) => error instanceof type);
  const message = error instanceof Error ? error.message : String(error);
  output.err(`phoenix-connector: ${message}\n`);
  if (error instanceof CliUsageError) output.err(`(see phoenix-connector${commandName ? ` ${commandName}` : ""} --help)\n`);
  if (verbose && error instanceof Error && error.stack) output.err(`${error.stack}\n`);
  return usage ? EXIT.usage : EXIT.failure;
}
