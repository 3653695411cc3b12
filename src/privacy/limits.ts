import { PhoenixConfigurationError } from "../errors.js";
import type { PhoenixLimitOptions } from "./privacy-options.js";

/**
 * The size caps and their defaults. Phoenix itself stores a 30 MB value, but
 * a request that size takes seconds to insert, a reverse proxy in front of
 * Phoenix refuses it (nginx: 1 MB by default), and no one reads a million
 * characters in a trace view; the defaults keep whole LLM prompts of a long
 * context (about 250k tokens) while bounding what one span can cost.
 */
export const LIMIT_DEFAULTS = {
  maxAttributeValueLength: 1_000_000,
  maxSpanBytes: 4 * 1024 * 1024,
  maxRequestBytes: 8 * 1024 * 1024,
} as const;

/** `{"data":[` and `]}` around a REST request's spans. */
export const REQUEST_ENVELOPE_BYTES = 11;

export interface ResolvedLimits {
  maxAttributeValueLength: number;
  /** The span cap in force: never more than a request can carry. */
  maxSpanBytes: number;
  maxRequestBytes: number;
}

export function resolveLimits(options: PhoenixLimitOptions | undefined): ResolvedLimits {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new PhoenixConfigurationError("The limits option must be an object such as { maxSpanBytes: 4194304 }.");
  }
  const maxAttributeValueLength = limit("maxAttributeValueLength", options?.maxAttributeValueLength, 64) ?? LIMIT_DEFAULTS.maxAttributeValueLength;
  const maxRequestBytes = limit("maxRequestBytes", options?.maxRequestBytes, 4_096) ?? LIMIT_DEFAULTS.maxRequestBytes;
  const maxSpanBytes = limit("maxSpanBytes", options?.maxSpanBytes, 2_048) ?? LIMIT_DEFAULTS.maxSpanBytes;
  return { maxAttributeValueLength, maxSpanBytes: Math.min(maxSpanBytes, maxRequestBytes - REQUEST_ENVELOPE_BYTES), maxRequestBytes };
}

function limit(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new PhoenixConfigurationError(`The limits.${name} option must be an integer from ${min} up; got ${JSON.stringify(value)}.`);
  }
  return value;
}
