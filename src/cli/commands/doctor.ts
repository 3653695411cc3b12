import type { Command } from "commander";
import { environmentProblems } from "../../config/environment-problems.js";
import { readPhoenixEnvironment } from "../../config/environment.js";
import { resolveConnection, resolveDefaultProject } from "../../config/phoenix-config.js";
import { PhoenixConfigurationError } from "../../errors.js";
import { runDoctorChecks, type CheckStatus } from "../doctor/doctor-checks.js";
import { EXIT } from "../exit-codes.js";
import { connectionFromFlags, globalFlags } from "../global-options.js";
import { secondsToMillis } from "../option-parsers.js";
import type { CliContext } from "../run-cli.js";

const MARKS: ReadonlyMap<CheckStatus, string> = new Map([
  ["ok", "[ok]  "],
  ["warn", "[warn]"],
  ["fail", "[FAIL]"],
  ["skip", "[skip]"],
]);

/** doctor reports what is wrong in its own lines: nothing is warned about on the side. */
const QUIET = () => undefined;

export function registerDoctorCommand(program: Command, { output, exitWith }: CliContext): void {
  program
    .command("doctor")
    .description("check the configuration, the endpoint, the API key, the Phoenix version, the span route and the project")
    .option("--timeout <seconds>", "longest wait for each answer (default 5)", secondsToMillis)
    .addHelpText("after", "\nOne line per check, with what to do when it fails. Exit code 1 when any check fails (warnings do not).")
    .action(async (flags: { timeout?: number }, command: Command) => {
      const global = globalFlags(command);
      const options = connectionFromFlags(global, output, { strict: false, report: QUIET });
      const env = readPhoenixEnvironment(QUIET);
      const problems = environmentProblems({ endpoint: global.endpoint !== undefined, project: global.project !== undefined });
      const endpointSource =
        global.endpoint !== undefined
          ? "--endpoint"
          : env.endpoint === undefined
            ? "default"
            : problems.some((p) => p.variable === "PHOENIX_COLLECTOR_ENDPOINT")
              ? "the default, as PHOENIX_COLLECTOR_ENDPOINT is unusable"
              : "PHOENIX_COLLECTOR_ENDPOINT";
      let connection: ReturnType<typeof resolveConnection>;
      try {
        connection = resolveConnection(options, env, QUIET);
      } catch (error) {
        // A value that cannot be used at all (a key with a line break, a bad --endpoint): the first check fails, the rest cannot run.
        if (!(error instanceof PhoenixConfigurationError)) throw error;
        output.out(`${MARKS.get("fail")} configuration  ${error.message}\n`);
        exitWith(EXIT.failure);
        return;
      }
      const results = await runDoctorChecks({
        connection,
        project: resolveDefaultProject(global.project, env, QUIET).name,
        endpointSource,
        problems,
        ...(flags.timeout !== undefined ? { timeoutMillis: Math.max(1, flags.timeout) } : {}),
      });
      const width = Math.max(...results.map((r) => r.name.length));
      for (const result of results) {
        output.out(`${MARKS.get(result.status)} ${result.name.padEnd(width)}  ${result.detail}${result.fix ? ` — ${result.fix}` : ""}\n`);
      }
      if (results.some((r) => r.status === "fail")) exitWith(EXIT.failure);
    });
}
