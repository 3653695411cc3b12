import { PhoenixConfigurationError } from "../errors.js";

/** An option that must be an integer in [min, max]; undefined stays undefined. Bad options throw. */
export function integerOption(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new PhoenixConfigurationError(
      `The ${name} option must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
