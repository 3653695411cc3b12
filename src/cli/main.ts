// The phoenix-connector CLI (package.json `bin`); see docs/cli.md.
import { processOutput } from "./output.js";
import { runCli } from "./run-cli.js";

// The exit code is set, not forced: stdout is flushed before the process ends.
process.exitCode = await runCli(process.argv.slice(2), processOutput());
