import type { AttributeValue, Attributes } from "@opentelemetry/api";
import type { PhoenixAttributeValue, PhoenixAttributes } from "./phoenix-span.js";

/**
 * A fresh attribute map without a prototype: keys such as `__proto__` or
 * `constructor` from a hostile span are then plain keys, never setters.
 */
export function createAttributes(): PhoenixAttributes {
  return Object.create(null) as PhoenixAttributes;
}

/**
 * One OpenTelemetry (or arbitrary) value → what Phoenix stores unchanged, or
 * `undefined` to leave the key out. Structured values become JSON strings,
 * since Phoenix silently drops an attribute whose value is an object.
 */
export function toPhoenixValue(value: AttributeValue | unknown): PhoenixAttributeValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON has no NaN or Infinity; keep what the value said rather than `null`.
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    default:
      if (value === null) return undefined;
      if (Array.isArray(value)) return toPhoenixArray(value);
      return safeJson(value);
  }
}

function toPhoenixArray(values: readonly unknown[]): PhoenixAttributeValue | undefined {
  // Nearly every array is already what Phoenix stores (an embedding vector,
  // finish reasons): checked by a loop specialised to the first element's
  // type, which stays monomorphic and never boxes the numbers of a
  // 1,536-dimension vector, unlike one loop asking every element every
  // question (6× slower on the benchmark's vectors).
  switch (typeof values[0]) {
    case "number":
      if (allFiniteNumbers(values)) return values as readonly number[];
      break;
    case "string":
      if (allOfType(values, "string")) return values as readonly string[];
      break;
    case "boolean":
      if (allOfType(values, "boolean")) return values as readonly boolean[];
      break;
  }
  return mixedArray(values);
}

function allFiniteNumbers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // `v - v` is 0 for a finite number, NaN for NaN and ±Infinity.
    if (typeof v !== "number" || v - v !== 0) return false;
  }
  return true;
}

function allOfType(values: readonly unknown[], type: "string" | "boolean"): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== type) return false;
  return true;
}

/** Arrays with holes, mixed types or non-finite numbers. */
function mixedArray(values: readonly unknown[]): PhoenixAttributeValue | undefined {
  let type: string | undefined;
  let homogeneous = true;
  let hasHoles = false;
  for (const item of values) {
    if (item === null || item === undefined) {
      hasHoles = true;
      continue;
    }
    const t = typeof item;
    if ((t !== "string" && t !== "number" && t !== "boolean") || (t === "number" && !Number.isFinite(item as number))) {
      homogeneous = false;
      break;
    }
    if (type === undefined) type = t;
    else if (type !== t) {
      homogeneous = false;
      break;
    }
  }
  if (!homogeneous) return safeJson(values);
  if (!hasHoles) return values as PhoenixAttributeValue;
  // OTel allows null/undefined holes in arrays; Phoenix would store `null`
  // in a typed array, so they are dropped.
  return values.filter((v) => v !== null && v !== undefined) as unknown as PhoenixAttributeValue;
}

/** JSON text of any value; never throws (cycles, BigInt, throwing getters). */
export function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, jsonReplacer());
    return text === undefined ? String(value) : text;
  } catch {
    try {
      return String(value);
    } catch {
      return "[unserialisable]";
    }
  }
}

function jsonReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
    }
    return value;
  };
}

/** Copies every convertible attribute into `out` (a prototype-free map). */
export function copyAttributes(
  source: Attributes | undefined,
  out: PhoenixAttributes = createAttributes(),
  skip?: ReadonlySet<string>,
): PhoenixAttributes {
  if (!source) return out;
  for (const key in source) {
    if (skip?.has(key)) continue;
    const converted = toPhoenixValue(source[key]);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}
