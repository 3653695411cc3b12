import { PhoenixInputError } from "../errors.js";

/**
 * A caller's `name → number` object (metrics, scores) after checking it: an
 * object, not empty, every name non-empty and every value a finite number
 * (Phoenix stores no NaN or Infinity, and a score of NaN means nothing).
 */
export function checkNumericRecord(value: unknown, field: string, example: string): Record<string, number> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PhoenixInputError(`${field} must be an object of name → number, e.g. ${example}.`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new PhoenixInputError(`${field} is empty; give at least one, e.g. ${example}.`);
  const bad = entries.filter(([name, v]) => name.trim() === "" || typeof v !== "number" || !Number.isFinite(v));
  if (bad.length > 0) {
    const shown = bad.map(([name, v]) => `${JSON.stringify(name)} = ${typeof v === "number" ? String(v) : JSON.stringify(v) ?? String(v)}`);
    throw new PhoenixInputError(`Every value of ${field} must be a finite number with a name; not: ${shown.join(", ")}.`);
  }
  return Object.fromEntries(entries) as Record<string, number>;
}
