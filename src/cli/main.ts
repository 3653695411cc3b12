// The phoenix-connector CLI (package.json `bin`); see docs/cli.md.
import { EXIT } from "./exit-codes.js";
import { isClosedPipe, processOutput } from "./output.js";
import { runCli } from "./run-cli.js";

const argv = process.argv.slice(2);
const output = processOutput();

// What escapes a command (a library callback that throws, a rejection nobody awaits) is still one line, not a stack trace.
const lastResort = (error: unknown) => {
  if (isClosedPipe(error)) process.exit(EXIT.ok);
  output.err(`phoenix-connector: ${error instanceof Error ? error.message : String(error)}\n`);
  if (argv.includes("--verbose") && error instanceof Error && error.stack) output.err(`${error.stack}\n`);
  process.exit(EXIT.failure);
};
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);

// The exit code is set, not forced: stdout is flushed before the process ends.
process.exitCode = await runCli(argv, output);
