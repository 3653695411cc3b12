import { createHash } from "node:crypto";
import { safeJson } from "../../mapping/attributes.js";

/** An example as the dataset keeps it: Phoenix's `input`, `output` and `metadata` objects. */
export interface ExampleContent {
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * A value as plain JSON (what Phoenix stores and answers): BigInts as
 * strings, cycles marked, functions dropped; anything unreadable as its text.
 * Never throws, whatever the value.
 */
export function plainJson(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(safeJson(value)) as unknown;
  } catch {
    return String(safeJson(value));
  }
}

/** An object as is, anything else under `key` (Phoenix's example fields are objects). */
export function asObject(value: unknown, key: string): Record<string, unknown> {
  const json = plainJson(value);
  return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : { [key]: json };
}

/** JSON with object keys sorted, so that equal content has one text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function sameContent(a: ExampleContent, b: ExampleContent): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * The default ids: `ex-` and 16 hex of a hash of the content, so that the
 * same example gets the same id on every run; a repeat of identical content
 * in one list gets `-2`, `-3`, … in order.
 */
export function contentIds(contents: readonly ExampleContent[], given: ReadonlyArray<string | undefined>): string[] {
  const seen = new Map<string, number>();
  return contents.map((content, i) => {
    const explicit = given[i];
    if (explicit !== undefined) return explicit;
    const base = `ex-${createHash("sha256").update(canonicalJson(content)).digest("hex").slice(0, 16)}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}
