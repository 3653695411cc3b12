import { diag } from "@opentelemetry/api";
import {
  ENV_PHOENIX_API_KEY,
  ENV_PHOENIX_CLIENT_HEADERS,
  ENV_PHOENIX_COLLECTOR_ENDPOINT,
  ENV_PHOENIX_PROJECT,
  ENV_PHOENIX_PROJECT_NAME,
  getStrFromEnvironment,
  parseHeaders,
} from "@arizeai/phoenix-config";

/**
 * The thin environment preset: every variable this package reads, read in one
 * place, so the classes only ever see resolved options.
 *
 * Phoenix's own resolver, `@arizeai/phoenix-config`, reads the `PHOENIX_*`
 * variables (falling back to a `.env.phoenix` file, exactly as Phoenix's own
 * SDKs do). Its helpers that print conflict warnings with `console.warn` are
 * not used: this package logs only through the OpenTelemetry `diag` API.
 * Invalid values are warned about once and ignored, never thrown.
 */
export interface PhoenixEnvironment {
  endpoint?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  projectName?: string;
}

export function readPhoenixEnvironment(): PhoenixEnvironment {
  const env: PhoenixEnvironment = {};
  const endpoint = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_COLLECTOR_ENDPOINT));
  if (endpoint !== undefined) env.endpoint = endpoint;
  const apiKey = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_API_KEY));
  if (apiKey !== undefined) env.apiKey = apiKey;
  const rawHeaders = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_CLIENT_HEADERS));
  if (rawHeaders !== undefined) {
    const headers = parseHeaders(rawHeaders);
    if (headers) env.headers = headers;
    else warnOnce(`${ENV_PHOENIX_CLIENT_HEADERS} is not a JSON object of string values; ignoring it.`);
  }
  const project = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_PROJECT));
  const projectAlias = nonEmpty(getStrFromEnvironment(ENV_PHOENIX_PROJECT_NAME));
  if (project !== undefined && projectAlias !== undefined && project !== projectAlias) {
    warnOnce(`${ENV_PHOENIX_PROJECT} and ${ENV_PHOENIX_PROJECT_NAME} differ; using ${ENV_PHOENIX_PROJECT}.`);
  }
  const projectName = project ?? projectAlias;
  if (projectName !== undefined) env.projectName = projectName;
  return env;
}

/** The `OTEL_BSP_*` variables of the OpenTelemetry specification. */
export interface BatchEnvironment {
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  exportTimeoutMillis?: number;
}

export function readBatchEnvironment(env: NodeJS.ProcessEnv = process.env): BatchEnvironment {
  const out: BatchEnvironment = {};
  const batch = positiveInteger(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE");
  if (batch !== undefined) out.maxExportBatchSize = batch;
  const delay = nonNegativeInteger(env, "OTEL_BSP_SCHEDULE_DELAY");
  if (delay !== undefined) out.scheduledDelayMillis = delay;
  const queue = positiveInteger(env, "OTEL_BSP_MAX_QUEUE_SIZE");
  if (queue !== undefined) out.maxQueueSize = queue;
  const timeout = positiveInteger(env, "OTEL_BSP_EXPORT_TIMEOUT");
  if (timeout !== undefined) out.exportTimeoutMillis = timeout;
  return out;
}

/**
 * The OpenInference trace-config variables (`OPENINFERENCE_HIDE_INPUTS`…),
 * with the meaning OpenInference gives them; the `privacy` options win over
 * them. Flags read true/false (also 1/0, yes/no); anything else is warned
 * about and ignored.
 */
export interface OpenInferenceEnvironment {
  hideInputs?: boolean;
  hideOutputs?: boolean;
  hideInputMessages?: boolean;
  hideOutputMessages?: boolean;
  hideInputImages?: boolean;
  hideInputText?: boolean;
  hideOutputText?: boolean;
  hideEmbeddingVectors?: boolean;
  hideLLMInvocationParameters?: boolean;
  hideLLMTools?: boolean;
  hidePrompts?: boolean;
  base64ImageMaxLength?: number;
}

type OpenInferenceFlag = Exclude<keyof OpenInferenceEnvironment, "base64ImageMaxLength">;

/** Each flag and its variable, as OpenInference names them. */
export const OPENINFERENCE_FLAG_VARIABLES: ReadonlyMap<OpenInferenceFlag, string> = new Map<OpenInferenceFlag, string>([
  ["hideInputs", "OPENINFERENCE_HIDE_INPUTS"],
  ["hideOutputs", "OPENINFERENCE_HIDE_OUTPUTS"],
  ["hideInputMessages", "OPENINFERENCE_HIDE_INPUT_MESSAGES"],
  ["hideOutputMessages", "OPENINFERENCE_HIDE_OUTPUT_MESSAGES"],
  ["hideInputImages", "OPENINFERENCE_HIDE_INPUT_IMAGES"],
  ["hideInputText", "OPENINFERENCE_HIDE_INPUT_TEXT"],
  ["hideOutputText", "OPENINFERENCE_HIDE_OUTPUT_TEXT"],
  ["hideEmbeddingVectors", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"],
  ["hideLLMInvocationParameters", "OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS"],
  ["hideLLMTools", "OPENINFERENCE_HIDE_LLM_TOOLS"],
  ["hidePrompts", "OPENINFERENCE_HIDE_PROMPTS"],
]);
export const OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH = "OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH";

export function readOpenInferenceEnvironment(env: NodeJS.ProcessEnv = process.env): OpenInferenceEnvironment {
  const out: OpenInferenceEnvironment = {};
  for (const [flag, name] of OPENINFERENCE_FLAG_VARIABLES) {
    const value = booleanFrom(env, name);
    if (value !== undefined) out[flag] = value;
  }
  const maxLength = nonNegativeInteger(env, OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH);
  if (maxLength !== undefined) out.base64ImageMaxLength = maxLength;
  return out;
}

/** An integer ≥ 1 from the environment, or undefined (with one warning) when unset or invalid. */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = integerFrom(env, name);
  if (value === undefined) return undefined;
  if (value < 1) {
    warnOnce(`${name}=${JSON.stringify(env[name])} must be a positive integer; ignoring it.`);
    return undefined;
  }
  return value;
}

export function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = integerFrom(env, name);
  if (value === undefined) return undefined;
  if (value < 0) {
    warnOnce(`${name}=${JSON.stringify(env[name])} must be zero or a positive integer; ignoring it.`);
    return undefined;
  }
  return value;
}

/** A boolean flag from the environment: true/false/1/0/yes/no (any case), else undefined with a warning. */
export function booleanFrom(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === "true" || lower === "1" || lower === "yes") return true;
  if (lower === "false" || lower === "0" || lower === "no") return false;
  warnOnce(`${name}=${JSON.stringify(raw)} is not true or false; ignoring it.`);
  return undefined;
}

function integerFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  // Number("") is 0 and Number("1e3") is 1000: only plain decimal integers are accepted.
  if (!/^-?\d+$/.test(raw)) {
    warnOnce(`${name}=${JSON.stringify(raw)} is not an integer; ignoring it.`);
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    warnOnce(`${name}=${JSON.stringify(raw)} is out of range; ignoring it.`);
    return undefined;
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  diag.warn(`phoenix-connector: ${message}`);
}
