import { safeJson } from "../mapping/attributes.js";
import { PhoenixInputError } from "../errors.js";

/**
 * Caller-given metadata as plain JSON, which is what Phoenix stores (and what
 * `JSON.stringify` will later write without surprises): BigInts become
 * strings, cycles are marked, functions dropped. Anything but an object is
 * refused; an object that cannot be read at all is kept as its text.
 */
export function jsonObject(value: unknown, owner: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PhoenixInputError(`The metadata of "${owner}" must be an object.`);
  }
  try {
    const parsed: unknown = JSON.parse(safeJson(value));
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through: not representable as JSON
  }
  return { value: safeJson(value) };
}
