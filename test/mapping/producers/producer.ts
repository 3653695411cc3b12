import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { PhoenixAttributeValue, PhoenixSpanKind } from "../../../src/mapping/index.js";

/**
 * What a mapped span must show in Phoenix. `equals` pins values; `present`
 * only asks for the key (values that vary run to run, or long JSON);
 * `absent` names keys that must not be there.
 */
export interface SpanExpectation {
  kind: PhoenixSpanKind;
  equals?: Record<string, PhoenixAttributeValue>;
  present?: readonly string[];
  absent?: readonly string[];
}

/**
 * One instrumentation (or library) run for real against a fake model, and
 * what each of its spans must map to.
 */
export interface Producer {
  /** File name of its fixture: test/fixtures/mapping/<id>.json */
  id: string;
  /** Row of the README table. */
  title: string;
  /** Packages whose versions are recorded with the fixture. */
  packages: readonly string[];
  /** How the spans were made, for the fixture's readers. */
  how: string;
  /**
   * The oldest Node the producer's packages support, and why: its live run
   * is skipped on older ones (its fixture is still mapped everywhere).
   */
  node?: { min: string; why: string };
  run(): Promise<ReadableSpan[]>;
  /** The expectation of each span (by name and attributes); every span must have one. */
  expect(span: ReadableSpan): SpanExpectation | undefined;
}
