import type { Command } from "commander";
import { readPhoenixEnvironment } from "../../config/environment.js";
import { resolveConnection } from "../../config/phoenix-config.js";
import { runDoctorChecks, type CheckStatus } from "../doctor/doctor-checks.js";
import { EXIT } from "../exit-codes.js";
import { connectionFromFlags, globalFlags, projectFromFlags } from "../global-options.js";
import type { CliContext } from "../run-cli.js";

const MARKS: ReadonlyMap<CheckStatus, string> = new Map([
  ["ok", "[ok]  "],
  ["warn", "[warn]"],
  ["fail", "[FAIL]"],
  ["skip", "[skip]"],
]);

export function registerDoctorCommand(program: Command, { output, exitWith }: CliContext): void {
  program
    .command("doctor")
    .description("check the endpoint, the API key, the Phoenix version, the span route and the project")
    .addHelpText("after", "\nOne line per check, with what to do when it fails. Exit code 1 when any check fails (warnings do not).")
    .action(async (_flags: unknown, command: Command) => {
      const global = globalFlags(command);
      const options = connectionFromFlags(global, output);
      const endpointSource = global.endpoint !== undefined ? "--endpoint" : readPhoenixEnvironment().endpoint !== undefined ? "PHOENIX_COLLECTOR_ENDPOINT" : "default";
      const results = await runDoctorChecks({ connection: resolveConnection(options), project: projectFromFlags(global).name, endpointSource });
      const width = Math.max(...results.map((r) => r.name.length));
      for (const result of results) {
        output.out(`${MARKS.get(result.status)} ${result.name.padEnd(width)}  ${result.detail}${result.fix ? ` — ${result.fix}` : ""}\n`);
      }
      if (results.some((r) => r.status === "fail")) exitWith(EXIT.failure);
    });
}
