import type { Command } from "commander";
import type { EnvironmentProblem, ProblemReporter } from "../config/config-warnings.js";
import { readPhoenixEnvironment } from "../config/environment.js";
import {
  environmentEndpointProblem,
  environmentProjectProblem,
  resolveDefaultProject,
  type PhoenixConnectionOptions,
} from "../config/phoenix-config.js";
import { PhoenixConfigurationError } from "../errors.js";
import type { CliOutput } from "./output.js";

/** The flags every command takes; each falls back to its PHOENIX_* variable, as in the library. */
export interface GlobalFlags {
  endpoint?: string;
  apiKey?: string;
  project?: string;
  verbose?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option("--endpoint <url>", "Phoenix's base URL, or file://DIR for the local store (default PHOENIX_COLLECTOR_ENDPOINT, else http://localhost:6006)")
    .option("--api-key <key>", "API key (prefer PHOENIX_API_KEY: flags show up in the process list)")
    .option("--project <name>", "project name (default PHOENIX_PROJECT, else default)")
    .option("--verbose", "log what the library does, and stack traces of errors");
}

export function globalFlags(command: Command): GlobalFlags {
  return command.optsWithGlobals<GlobalFlags>();
}

/**
 * The connection options from the flags; what a flag leaves out, the library
 * reads from PHOENIX_* itself, exactly as it does for the exporter. A command
 * refuses (exit 2) a PHOENIX_COLLECTOR_ENDPOINT it cannot use rather than
 * going to the default instead; `doctor` (not strict) reports it as a check.
 */
export function connectionFromFlags(
  flags: GlobalFlags,
  output: CliOutput,
  { strict = true, report }: { strict?: boolean; report?: ProblemReporter } = {},
): PhoenixConnectionOptions {
  output.addSecret(flags.apiKey);
  const env = readPhoenixEnvironment(report);
  output.addSecret(env.apiKey);
  if (strict && flags.endpoint === undefined && env.endpoint !== undefined) refuse(environmentEndpointProblem(env.endpoint), "--endpoint <url>");
  const options: PhoenixConnectionOptions = {};
  if (flags.endpoint !== undefined) options.endpoint = flags.endpoint;
  if (flags.apiKey !== undefined) options.apiKey = flags.apiKey;
  return options;
}

/**
 * `--project`, else PHOENIX_PROJECT / PHOENIX_PROJECT_NAME, else `default`;
 * `named` tells whether a flag or variable named it. A variable whose name
 * Phoenix would refuse is refused (exit 2), not replaced by `default`.
 */
export function projectFromFlags(flags: GlobalFlags): { name: string; named: boolean } {
  const env = readPhoenixEnvironment();
  if (flags.project === undefined) refuse(environmentProjectProblem(env), "--project <name>");
  const resolved = resolveDefaultProject(flags.project, env);
  return { name: resolved.name, named: flags.project !== undefined || env.projectName !== undefined };
}

function refuse(problem: EnvironmentProblem | undefined, flag: string): void {
  if (problem === undefined) return;
  throw new PhoenixConfigurationError(`${problem.problem} ${problem.fix.replace(/\.$/, "")}, or pass ${flag}.`);
}
