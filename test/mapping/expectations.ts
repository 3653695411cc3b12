import type { PhoenixSpan } from "../../src/mapping/index.js";
import type { SpanExpectation } from "./producers/producer.js";

/** The ways a mapped span misses its expectation; empty when it meets it. */
export function unmet(mapped: PhoenixSpan, expected: SpanExpectation): string[] {
  const problems: string[] = [];
  if (mapped.span_kind !== expected.kind) problems.push(`kind ${mapped.span_kind}, expected ${expected.kind}`);
  for (const [key, value] of Object.entries(expected.equals ?? {})) {
    if (JSON.stringify(mapped.attributes[key]) !== JSON.stringify(value)) {
      problems.push(`${key} = ${JSON.stringify(mapped.attributes[key])}, expected ${JSON.stringify(value)}`);
    }
  }
  for (const key of expected.present ?? []) if (mapped.attributes[key] === undefined) problems.push(`${key} missing`);
  for (const key of expected.absent ?? []) if (mapped.attributes[key] !== undefined) problems.push(`${key} present`);
  return problems.map((p) => `${mapped.name}: ${p}`);
}

/** Phoenix stores strings, finite numbers, booleans and homogeneous arrays of them (BEHAVIOUR.md). */
export function isStorable(value: unknown): boolean {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    const type = typeof value[0];
    return (type === "string" || type === "number" || type === "boolean") && value.every((v) => typeof v === type && (type !== "number" || Number.isFinite(v)));
  }
  return false;
}
