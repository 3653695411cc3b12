import {
  ENV_PHOENIX_API_KEY,
  ENV_PHOENIX_CLIENT_HEADERS,
  ENV_PHOENIX_COLLECTOR_ENDPOINT,
  ENV_PHOENIX_PROJECT,
  ENV_PHOENIX_PROJECT_NAME,
  getStrFromEnvironment,
  parseHeaders,
} from "@arizeai/phoenix-config";
import { warnAboutProblem, type ProblemReporter } from "./config-warnings.js";
import { OPENINFERENCE_FLAG_VARIABLES, type OpenInferenceEnvironment } from "../privacy/openinference-flags.js";

/**
 * The thin environment preset: every variable this package reads, read in one
 * place, so the classes only ever see resolved options.
 *
 * Phoenix's own resolver, `@arizeai/phoenix-config`, reads the `PHOENIX_*`
 * variables (falling back to a `.env.phoenix` file, exactly as Phoenix's own
 * SDKs do). Its helpers that print conflict warnings with `console.warn` are
 * not used: this package logs only through the OpenTelemetry `diag` API.
 * A value that cannot be used is never replaced silently: it is reported
 * (by default through `diag` and once per variable as a process warning,
 * config-warnings.ts) and then ignored, never thrown.
 */
export interface PhoenixEnvironment {
  endpoint?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  projectName?: string;
  /** The variable `projectName` came from: `PHOENIX_PROJECT` or `PHOENIX_PROJECT_NAME`. */
  projectVariable?: string;
}

export function readPhoenixEnvironment(report: ProblemReporter = warnAboutProblem): PhoenixEnvironment {
  const env: PhoenixEnvironment = {};
  const endpoint = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_COLLECTOR_ENDPOINT));
  if (endpoint !== undefined) env.endpoint = endpoint;
  const apiKey = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_API_KEY));
  if (apiKey !== undefined) env.apiKey = apiKey;
  const rawHeaders = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_CLIENT_HEADERS));
  if (rawHeaders !== undefined) {
    const headers = parseHeaders(rawHeaders);
    if (headers) env.headers = headers;
    else {
      // The value is not quoted: headers carry credentials.
      report({
        variable: ENV_PHOENIX_CLIENT_HEADERS,
        severity: "unusable",
        problem: `${ENV_PHOENIX_CLIENT_HEADERS} is not a JSON object of string values.`,
        instead: "no extra headers",
        fix: `Set it to e.g. {"x-team":"search"}, or unset it.`,
      });
    }
  }
  const project = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_PROJECT));
  const projectAlias = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_PROJECT_NAME));
  if (project !== undefined && projectAlias !== undefined && project !== projectAlias) {
    report({
      variable: ENV_PHOENIX_PROJECT_NAME,
      severity: "conflict",
      problem: `${ENV_PHOENIX_PROJECT} and ${ENV_PHOENIX_PROJECT_NAME} differ.`,
      instead: `${ENV_PHOENIX_PROJECT} (${JSON.stringify(project)})`,
      fix: `Unset ${ENV_PHOENIX_PROJECT_NAME}, or give both the same value.`,
    });
  }
  const projectName = project ?? projectAlias;
  if (projectName !== undefined) {
    env.projectName = projectName;
    env.projectVariable = project !== undefined ? ENV_PHOENIX_PROJECT : ENV_PHOENIX_PROJECT_NAME;
  }
  return env;
}

/** The `OTEL_BSP_*` variables of the OpenTelemetry specification. */
export interface BatchEnvironment {
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  exportTimeoutMillis?: number;
}

export function readBatchEnvironment(env: NodeJS.ProcessEnv = process.env, report: ProblemReporter = warnAboutProblem): BatchEnvironment {
  const out: BatchEnvironment = {};
  const batch = positiveInteger(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", report);
  if (batch !== undefined) out.maxExportBatchSize = batch;
  const delay = nonNegativeInteger(env, "OTEL_BSP_SCHEDULE_DELAY", report);
  if (delay !== undefined) out.scheduledDelayMillis = delay;
  const queue = positiveInteger(env, "OTEL_BSP_MAX_QUEUE_SIZE", report);
  if (queue !== undefined) out.maxQueueSize = queue;
  const timeout = positiveInteger(env, "OTEL_BSP_EXPORT_TIMEOUT", report);
  if (timeout !== undefined) out.exportTimeoutMillis = timeout;
  return out;
}

export const OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH = "OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH";

export function readOpenInferenceEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  report: ProblemReporter = warnAboutProblem,
): OpenInferenceEnvironment {
  const out: OpenInferenceEnvironment = {};
  for (const [flag, name] of OPENINFERENCE_FLAG_VARIABLES) {
    const value = booleanFrom(env, name, report);
    if (value !== undefined) out[flag] = value;
  }
  const maxLength = nonNegativeInteger(env, OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH, report);
  if (maxLength !== undefined) out.base64ImageMaxLength = maxLength;
  return out;
}

/** An integer ≥ 1 from the environment, or undefined (reported) when unset or invalid. */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string, report: ProblemReporter = warnAboutProblem): number | undefined {
  const value = integerFrom(env, name, report);
  if (value === undefined) return undefined;
  if (value < 1) {
    report(ignored(name, `${name}=${JSON.stringify(env[name])} must be a positive integer.`, "a whole number ≥ 1"));
    return undefined;
  }
  return value;
}

export function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, report: ProblemReporter = warnAboutProblem): number | undefined {
  const value = integerFrom(env, name, report);
  if (value === undefined) return undefined;
  if (value < 0) {
    report(ignored(name, `${name}=${JSON.stringify(env[name])} must be zero or a positive integer.`, "a whole number ≥ 0"));
    return undefined;
  }
  return value;
}

/** A boolean flag from the environment: true/false/1/0/yes/no (any case), else undefined (reported). */
export function booleanFrom(env: NodeJS.ProcessEnv, name: string, report: ProblemReporter = warnAboutProblem): boolean | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === "true" || lower === "1" || lower === "yes") return true;
  if (lower === "false" || lower === "0" || lower === "no") return false;
  report(ignored(name, `${name}=${JSON.stringify(raw)} is not true or false.`, "true or false"));
  return undefined;
}

function integerFrom(env: NodeJS.ProcessEnv, name: string, report: ProblemReporter): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  // Number("") is 0 and Number("1e3") is 1000: only plain decimal integers are accepted.
  if (!/^-?\d+$/.test(raw)) {
    report(ignored(name, `${name}=${JSON.stringify(raw)} is not an integer.`, "a whole number"));
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    report(ignored(name, `${name}=${JSON.stringify(raw)} is out of range.`, "a smaller whole number"));
    return undefined;
  }
  return value;
}

function ignored(variable: string, problem: string, expected: string): { variable: string; severity: "unusable"; problem: string; instead: string; fix: string } {
  return { variable, severity: "unusable", problem, instead: "its default", fix: `Set it to ${expected}, or unset it.` };
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
