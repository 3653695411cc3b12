import { MimeType, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { createAttributes, safeJson, toPhoenixValue } from "../mapping/attributes.js";
import type { PhoenixAttributes } from "../mapping/phoenix-span.js";
import { PhoenixInputError } from "../errors.js";
import type { TrainingConfig } from "./base.js";

/** Prefix of the root span's attributes, one per config field: `job.config.baseModel`, … */
export const JOB_CONFIG_PREFIX = "job.config.";

type FieldCheck = (value: unknown) => string | undefined;

const isString: FieldCheck = (v) => (typeof v === "string" ? undefined : "must be a string");

const CHECKS: ReadonlyMap<string, FieldCheck> = new Map<string, FieldCheck>([
  ["baseModel", isString],
  ["modelSource", isString],
  ["algorithm", isString],
  ["jobName", (v) => (typeof v === "string" && v.trim() !== "" ? undefined : "must be a non-empty string")],
  ["projectName", (v) => (typeof v === "string" && v.trim() !== "" && !/[/?#]/.test(v) ? undefined : "must be a project name without '/', '?' or '#'")],
  ["rank", (v) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? undefined : "must be a positive integer")],
  ["alpha", (v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "must be a finite number")],
  ["dropout", (v) => (typeof v === "number" && v >= 0 && v <= 1 ? undefined : "must be a number from 0 to 1")],
  ["targetModules", (v) => (Array.isArray(v) && v.every((m) => typeof m === "string") ? undefined : "must be an array of strings")],
]);

/** Checks the named fields (when present); throws a PhoenixInputError naming every bad one. */
export function checkTrainingConfig(config: unknown): TrainingConfig {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new PhoenixInputError("submitJob needs a config object, e.g. { baseModel: \"llama-3-8b\", algorithm: \"lora\" }.");
  }
  const problems: string[] = [];
  for (const [field, check] of CHECKS) {
    let value: unknown;
    try {
      value = (config as Record<string, unknown>)[field];
    } catch {
      problems.push(`${field} could not be read`);
      continue;
    }
    if (value === undefined) continue;
    const problem = check(value);
    if (problem) problems.push(`${field} ${problem} (got ${safeJson(value).slice(0, 60)})`);
  }
  if (problems.length > 0) throw new PhoenixInputError(`The job config is not valid: ${problems.join("; ")}.`);
  return config as TrainingConfig;
}

/**
 * The root span's attributes: each field as `job.config.<field>` (structured
 * values as JSON text), and the whole config as `metadata` and as the
 * span's input, so Phoenix shows it and can filter on it.
 */
export function trainingConfigAttributes(config: TrainingConfig): PhoenixAttributes {
  const out = createAttributes();
  const json = safeJson(config);
  out[SC.METADATA] = json;
  out[SC.INPUT_VALUE] = json;
  out[SC.INPUT_MIME_TYPE] = MimeType.JSON;
  out[SC.TAG_TAGS] = ["job"];
  let keys: string[] = [];
  try {
    keys = Object.keys(config);
  } catch {
    // A hostile proxy: the JSON above is all we keep.
  }
  for (const key of keys) {
    try {
      const value = toPhoenixValue(config[key]);
      if (value !== undefined) out[`${JOB_CONFIG_PREFIX}${key}`] = value;
    } catch {
      // A throwing getter costs only its own attribute.
    }
  }
  return out;
}
