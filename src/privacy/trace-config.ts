import { OPENINFERENCE_FLAG_VARIABLES, type OpenInferenceEnvironment } from "./openinference-flags.js";
import { PhoenixConfigurationError } from "../errors.js";
import type { PhoenixPrivacyOptions } from "./privacy-options.js";

/** OpenInference's trace configuration, every field resolved: option ?? environment ?? default. */
export type TraceConfig = Readonly<Required<OpenInferenceEnvironment>>;

/** OpenInference's default: base64 images up to 32,000 characters are kept. */
export const DEFAULT_BASE64_IMAGE_MAX_LENGTH = 32_000;

export function resolveTraceConfig(options: PhoenixPrivacyOptions, env: OpenInferenceEnvironment): TraceConfig {
  const config: Record<string, boolean | number> = {};
  for (const flag of OPENINFERENCE_FLAG_VARIABLES.keys()) {
    const value: unknown = options[flag];
    if (value !== undefined && typeof value !== "boolean") {
      throw new PhoenixConfigurationError(`The privacy.${flag} option must be true or false; got ${JSON.stringify(value)}.`);
    }
    config[flag] = value ?? env[flag] ?? false;
  }
  const maxLength: unknown = options.base64ImageMaxLength;
  if (maxLength !== undefined && (typeof maxLength !== "number" || !Number.isInteger(maxLength) || maxLength < 0)) {
    throw new PhoenixConfigurationError(
      `The privacy.base64ImageMaxLength option must be an integer from 0 up (characters); got ${JSON.stringify(maxLength)}.`,
    );
  }
  config.base64ImageMaxLength = maxLength ?? env.base64ImageMaxLength ?? DEFAULT_BASE64_IMAGE_MAX_LENGTH;
  return Object.freeze(config) as unknown as TraceConfig;
}

/**
 * True when the configuration can change a span at all. Base64 images are
 * capped whatever the flags say, as in OpenInference, so a span may carry one
 * even when no flag is set; that is checked by key, so the flags alone decide
 * whether the per-key pass runs: see {@link AttributeMasker}.
 */
export function hidesSomething(config: TraceConfig): boolean {
  for (const flag of OPENINFERENCE_FLAG_VARIABLES.keys()) if (config[flag]) return true;
  return false;
}
