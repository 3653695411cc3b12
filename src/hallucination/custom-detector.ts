/**
 * Turning whatever the user passed as a detector (a detector object or a
 * plain function) into a detector, and checking what it returns, so that a
 * bug in a custom detector surfaces as a clear error rather than as a NaN
 * score on a Phoenix annotation.
 */
import { HallucinationDetectorResultError, HallucinationInputError } from "./errors.js";
import type {
  DetectorVerdict,
  HallucinationDetector,
  HallucinationDetectorLike,
  HallucinationLabel,
} from "./types.js";

/** A detector object as given, or a plain function wrapped as one (annotatorKind "CODE"). */
export function toHallucinationDetector(detector: HallucinationDetectorLike): HallucinationDetector {
  if (typeof detector === "function") {
    return {
      name: detector.name !== "" ? detector.name : "custom",
      annotatorKind: "CODE",
      detect: detector,
    };
  }
  if (
    typeof detector !== "object" ||
    detector === null ||
    typeof detector.detect !== "function" ||
    typeof detector.name !== "string" ||
    (detector.annotatorKind !== "LLM" && detector.annotatorKind !== "CODE")
  ) {
    throw new HallucinationInputError(
      "HALLUCINATION_INVALID_DETECTOR",
      'detector must be a function (input, options) => verdict, or an object { name: string, annotatorKind: "LLM" | "CODE", detect(input, options) }.',
    );
  }
  return detector;
}

export interface NormalizedVerdict {
  readonly score: number;
  readonly confidence: number;
  readonly explanation: string;
  readonly unsupported: string[];
  /** The label the detector stated itself, if it did (checked against the threshold by the caller). */
  readonly statedLabel: HallucinationLabel | undefined;
}

function isUnitInterval(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  return typeof value;
}

/** Validates a detector's raw result; throws `HallucinationDetectorResultError` naming the first problem. */
export function normalizeDetectorVerdict(raw: unknown, detectorName: string): NormalizedVerdict {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new HallucinationDetectorResultError(detectorName, `expected an object, got ${describe(raw)}`);
  }
  const verdict = raw as Partial<Record<keyof DetectorVerdict, unknown>>;
  if (!isUnitInterval(verdict.score)) {
    throw new HallucinationDetectorResultError(detectorName, `score must be a number in [0, 1], got ${describe(verdict.score)}`);
  }
  if (!isUnitInterval(verdict.confidence)) {
    throw new HallucinationDetectorResultError(
      detectorName,
      `confidence must be a number in [0, 1], got ${describe(verdict.confidence)}`,
    );
  }
  if (typeof verdict.explanation !== "string") {
    throw new HallucinationDetectorResultError(detectorName, `explanation must be a string, got ${describe(verdict.explanation)}`);
  }
  const unsupported = verdict.unsupported ?? [];
  if (!Array.isArray(unsupported) || unsupported.some((part) => typeof part !== "string")) {
    throw new HallucinationDetectorResultError(detectorName, "unsupported must be an array of strings when given");
  }
  if (verdict.label !== undefined && verdict.label !== "hallucinated" && verdict.label !== "factual") {
    throw new HallucinationDetectorResultError(
      detectorName,
      `label must be "hallucinated" or "factual" when given, got ${JSON.stringify(verdict.label)}`,
    );
  }
  if (verdict.isHallucination !== undefined && typeof verdict.isHallucination !== "boolean") {
    throw new HallucinationDetectorResultError(detectorName, "isHallucination must be a boolean when given");
  }
  const statedLabel: HallucinationLabel | undefined =
    verdict.label ?? (verdict.isHallucination === undefined ? undefined : verdict.isHallucination ? "hallucinated" : "factual");
  return {
    score: verdict.score,
    confidence: verdict.confidence,
    explanation: verdict.explanation,
    unsupported: [...(unsupported as string[])],
    statedLabel,
  };
}
