import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CapturedSpan } from "./captured-span.js";
import type { SpanExpectation } from "./producer.js";

export const FIXTURE_DIR = resolve(import.meta.dirname, "../../fixtures/mapping");

/** One producer's captured spans (test/fixtures/mapping/<producer>.json). */
export interface MappingFixture {
  producer: string;
  title: string;
  how: string;
  /** Versions of the packages that made the spans. */
  packages: Record<string, string>;
  spans: Array<CapturedSpan & { expected: SpanExpectation }>;
}

export function loadFixtures(): MappingFixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), "utf8")) as MappingFixture);
}
