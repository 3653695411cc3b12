/**
 * `detectHallucination`: validate the input, run a detector (the offline
 * `grounding` detector unless told otherwise), check its verdict, and apply
 * the threshold. This is the library part; logging the verdict to Phoenix
 * as a span and an annotation is the connector's job.
 */
import { diag } from "@opentelemetry/api";
import { normalizeDetectorVerdict, toHallucinationDetector } from "./custom-detector.js";
import { grounding } from "./grounding/detector.js";
import { resolveHallucinationInput } from "./input.js";
import type { DetectOptions, HallucinationDetectorLike, HallucinationInput, HallucinationResult } from "./types.js";

/**
 * Judges whether `input.response` is grounded in `input.context`.
 *
 * - `score` (in [0, 1]) is the probability-like strength of the hallucination
 *   verdict: 0 = fully supported by the context, 1 = certainly not.
 * - `isHallucination = score >= threshold` (threshold default 0.5) and
 *   `label` follows it; a label or isHallucination the detector states itself
 *   is overridden (and a disagreement logged through `diag`).
 * - `confidence` (in [0, 1]) is how sure the detector is of that label.
 * - `unsupported` lists the parts of the response the detector could not ground.
 *
 * @param detector a `HallucinationDetector` (`grounding`, `llmJudge(...)`) or a
 *   plain function returning `{ score, confidence, explanation, unsupported? }`.
 * @throws HallucinationInputError on an empty context or response, or a threshold outside [0, 1]
 * @throws HallucinationDetectorResultError when the detector returns something else
 */
export async function detectHallucination(
  input: HallucinationInput,
  detector: HallucinationDetectorLike = grounding,
  options: DetectOptions = {},
): Promise<HallucinationResult> {
  const resolved = resolveHallucinationInput(input);
  const usable = toHallucinationDetector(detector);
  const raw: unknown = await usable.detect(resolved, options);
  const verdict = normalizeDetectorVerdict(raw, usable.name);

  const isHallucination = verdict.score >= resolved.threshold;
  const label = isHallucination ? "hallucinated" : "factual";
  if (verdict.statedLabel !== undefined && verdict.statedLabel !== label) {
    diag.warn(
      `hallucination detector "${usable.name}" stated label "${verdict.statedLabel}" but its score ${verdict.score} ` +
        `with threshold ${resolved.threshold} gives "${label}"; using "${label}".`,
    );
  }
  return {
    isHallucination,
    confidence: verdict.confidence,
    score: verdict.score,
    label,
    explanation: verdict.explanation,
    detector: usable.name,
    unsupported: verdict.unsupported,
  };
}
